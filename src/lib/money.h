/* money.h - amounts of money as an integer number of 分, and months as 'YYYY-MM'. */
#ifndef VETS_MONEY_H
#define VETS_MONEY_H

#include <stddef.h>
#include <stdint.h>

/* The largest amount any single figure may hold: 10^12 分 (一百亿元); sums of many
 * figures stay far below INT64_MAX. */
#define MONEY_MAX_FEN 1000000000000LL

/* Parses yuan text ("1234", "1234.5", "1234.56", "1,234.56", leading/trailing
 * spaces allowed) into *fen. 0, or -1 for anything else: a sign, more than two
 * decimals, no digits, a comma other than between groups of three digits ("1,5"),
 * over max_fen. */
int money_parse(const char *text, int64_t max_fen, int64_t *fen);
/* Writes fen as yuan with two decimals ("1234.56", "-0.05") into out. */
void money_format(int64_t fen, char out[32]);
/* Writes fen as yuan for a reader, with thousands separators ("1,234,567.89", "-0.05")
 * into out: the one display format of pages (the template filter yuan) and of the
 * command line's messages. Files read by programs (bank files, exports) keep
 * money_format. */
void money_format_grouped(int64_t fen, char out[32]);

/* A month as a count of months since year 0 (m = year * 12 + month - 1). */
/* Parses 'YYYY-MM' (1950-2100) into *m: 0, or -1. */
int month_parse(const char *text, int *m);
/* Writes month m as 'YYYY-MM' into out. */
void month_format(int m, char out[8]);
/* The month of a date 'YYYY-MM-DD' (checked as a real date): 0, or -1. */
int month_of_date(const char *date, int *m);

#endif
