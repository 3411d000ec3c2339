-- 区长信箱 on the portal: a message written there carries a tracking code (lib/track_code.h,
-- 80 random bits) by which its writer, and no one else, follows it on 进度查询.
ALTER TABLE petitions ADD COLUMN track_code TEXT;
CREATE UNIQUE INDEX petitions_track_code ON petitions(track_code) WHERE track_code IS NOT NULL;
