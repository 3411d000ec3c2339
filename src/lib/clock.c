/* clock.c - wall and monotonic time. */
#include "clock.h"
#include "str.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHANGHAI_OFFSET (8 * 3600)

static int64_t skew;
static pthread_once_t skew_once = PTHREAD_ONCE_INIT;

static void read_skew(void)
{
	const char *fake = getenv("VETS_FAKE_NOW");
	int64_t v;
	if (fake && str_to_i64(fake, strlen(fake), 0, INT64_MAX / 2, &v) == 0)
		skew = v - (int64_t)time(NULL);
}

int64_t clock_now(void)
{
	pthread_once(&skew_once, read_skew);
	return (int64_t)time(NULL) + skew;
}

int64_t clock_usec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void clock_iso_utc(int64_t t, char out[21])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void clock_local_minute(int64_t t, char out[17])
{
	time_t tt = (time_t)(t + SHANGHAI_OFFSET);
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 17, "%Y-%m-%d %H:%M", &tm);
}

int clock_parse_date(const char *s, int64_t *out)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int y = atoi(s);
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
	*out = (int64_t)timegm(&tm) - SHANGHAI_OFFSET;
	return 0;
}

int clock_date_text(int64_t t, char out[11])
{
	char text[40];
	time_t tt = (time_t)(t + SHANGHAI_OFFSET);
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || tm.tm_year + 1900 < 1900 || tm.tm_year + 1900 > 9999)
		return -1;
	snprintf(text, sizeof(text), "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday);
	str_copy(out, text, 11);
	return 0;
}

const char *clock_today_text(void)
{
	static _Thread_local char today[11];
	clock_date_text(clock_now(), today);
	return today;
}
