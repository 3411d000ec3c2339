/* stats.c - vets stats KIND: the statistics each area prints as JSON. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *kind, *title;
	int (*run)(int argc, char **argv);
} kinds[] = {
	{"benefits", "待遇发放（人、人次、金额）", cli_stats_benefits},
	{"counter", "窗口办件（受理、容缺、办结、按期、逾期、好差评）", cli_stats_counter},
	{"petitions", "信访（收到、受理、办结、按期办结、答复，及办结率、按期办结率、回复率）", cli_stats_petitions},
};
#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static void usage(FILE *to)
{
	fputs("用法：vets stats KIND --year YYYY [选项]\n", to);
	for (size_t i = 0; i < N_KINDS; i++)
		fprintf(to, "  %-10s %s\n", kinds[i].kind, kinds[i].title);
	fputs("每种统计都支持 --help，说明各项数字的口径。\n", to);
}

int cmd_stats(int argc, char **argv)
{
	if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0))
		return usage(stdout), 0;
	for (size_t i = 0; argc >= 1 && i < N_KINDS; i++)
		if (strcmp(argv[0], kinds[i].kind) == 0)
			return kinds[i].run(argc - 1, argv + 1);
	if (argc >= 1)
		fprintf(stderr, "vets: 未知的统计：%s\n", argv[0]);
	usage(stderr);
	return 2;
}
