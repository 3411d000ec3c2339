/* demo_pufa.h - the demo's 普法: events, brochures, study sessions, the law exam, 责任清单. */
#ifndef VETS_DEMO_PUFA_H
#define VETS_DEMO_PUFA_H

#include "areas/account.h"
#include "db/db.h"

/* Each year from 2023 to today: events on the fixed days (清明, 八一, 9.30, 12·4) and a few
 * others, brochures handed to every street's station (2023: 3,000 copies and more), a study
 * session a month and the 责任清单; the law exam of every account of the system and of six
 * named members of the bureau (2023: everyone sat it and everyone was excellent, 参考率 and
 * 优秀率 100%; later years with an absence or a score under the mark). Recorded by clerk in
 * one transaction. 0, or 1 with the reason printed. */
int demo_pufa(struct db *db, unsigned long seed, const struct principal *clerk);

#endif
