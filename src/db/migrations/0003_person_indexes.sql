-- Lists filtered by street or community find their rows through these.
CREATE INDEX persons_street ON persons(street_code, id);
CREATE INDEX persons_community ON persons(community_code, id);
