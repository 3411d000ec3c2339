// roles/roles.mjs - the eight roles (not an area: imported by the area files).
export const ROLES = [
	'sysadmin',
	'secadmin',
	'auditor',
	'clerk',
	'reviewer',
	'approver',
	'leader',
	'station',
];
