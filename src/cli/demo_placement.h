/* demo_placement.h - the demo's 安置. */
#ifndef VETS_DEMO_PLACEMENT_H
#define VETS_DEMO_PLACEMENT_H

#include "areas/account.h"
#include "db/db.h"

/* The city's plans of 2023-2026 and a case for each person placed against them, taken
 * through their steps by staff[0] (the clerk): 2023 places 8 军转干部 and 21 退役士兵, all of
 * them, with 医保 continued for 21; 2024 and 2025 alike with their own numbers (one
 * 自主就业 lapsed in 2024); 2026 still has cases waiting, one past its 6 months.
 * 待安置期生活费 at the local minimum wage (a standard proposed by staff[0] and approved
 * by staff[1]) is paid by monthly batches (staff[0] generates, staff[1] reviews, staff[2]
 * approves) from 2023-01 to 2025-12, as the demo's other benefits. 0, or 1 with the reason
 * printed. */
int demo_placement(struct db *db, unsigned long seed, const struct principal staff[3]);

#endif
