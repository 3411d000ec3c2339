// ratings_fixture.mjs - applications written straight into a store for the ratings,
// inspections and counter statistics suites (through lib.mjs's sqlExec, on either backend):
// one service item, and applications in any state with the dates a test needs.
import { sqlExec } from './lib.mjs';

let serial = 0;

/** A service item (code, limit in working days) for the applications below; returns its code. */
export function serviceItem(db, code = 'T001', name = '退役军人优待证申领', limit = 5) {
	sqlExec(db, `INSERT INTO service_items (code, name, time_limit_days, created_at, updated_at) VALUES ('${code}', '${name}', ${limit}, 0, 0);`);
	return code;
}

/** A tracking code in the stored form (Crockford base32, grouped), unique in this run. */
export function trackingCode() {
	serial++;
	return `7K2M-9QX4-R8TD-${String(serial).padStart(4, '0')}`;
}

/**
 * An application as the counter would have left it: {code, status, accepted_on, due,
 * closed_on, partial, region, org, clerk, name}. Returns its tracking code; its id is
 * found with appId(db, code).
 */
export function application(db, a) {
	const code = a.tracking_code ?? trackingCode();
	const region = a.region ?? '420199';
	const org = a.org ?? '420199';
	const clerk = a.clerk ? `(SELECT id FROM users WHERE username = '${a.clerk}')` : '1';
	const q = (v) => (v == null ? 'NULL' : `'${v}'`);
	sqlExec(
		db,
		`INSERT INTO applications (region_code, org_id, item_id, tracking_code, status, name, id_bidx, id_mask,
			partial, accepted_on, time_limit_days, due, closed_on, clerk_id, created_at)
		 VALUES ('${region}', (SELECT id FROM orgs WHERE code = '${org}'), (SELECT id FROM service_items WHERE code = '${a.item ?? 'T001'}'),
			'${code}', '${a.status ?? '已办结'}', '${a.name ?? '申请人'}', 'bidx-${code}', '420106********1234',
			${a.partial ? 1 : 0}, '${a.accepted_on ?? '2026-02-02'}', 5, '${a.due ?? '2026-02-09'}', ${q(a.closed_on)}, ${clerk}, 0);`,
	);
	return code;
}

/** The id of the application with tracking code code. */
export function appId(db, code) {
	return Number(sqlExec(db, `SELECT id FROM applications WHERE tracking_code = '${code}';`).trim());
}
