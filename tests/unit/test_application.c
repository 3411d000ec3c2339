/* test_application.c - the counter's pure parts: tracking codes (80 random bits in Crockford
 * base32, grouped; typed codes normalised), the status and step vocabularies, the per-address
 * rate limiter of the tracking page (lib/rate_limit) and the QR path (lib/qr). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "areas/application.h"
#include "lib/buf.h"
#include "lib/err.h"
#include "lib/qr.h"
#include "lib/rate_limit.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void test_code_shape(void **state)
{
	char code[TRACK_CODE_LEN + 1];
	for (int i = 0; i < 200; i++) {
		track_code_new(code);
		assert_int_equal(strlen(code), 19);
		for (int k = 0; k < 19; k++) {
			if (k % 5 == 4)
				assert_int_equal(code[k], '-');
			else
				assert_non_null(strchr(alphabet, code[k]));
		}
		char again[TRACK_CODE_LEN + 1];
		assert_int_equal(track_code_normalize(code, again), 0);
		assert_string_equal(again, code);
	}
}

/* Every symbol in every position turns up: the 80 bits are spread over all 16 symbols
 * (a bit stuck at 0 would leave half the alphabet out of some position). */
static void test_code_bits(void **state)
{
	int seen[16][32] = {{0}};
	char code[TRACK_CODE_LEN + 1];
	for (int i = 0; i < 4000; i++) {
		track_code_new(code);
		for (int k = 0, s = 0; k < 19; k++)
			if (code[k] != '-')
				seen[s++][strchr(alphabet, code[k]) - alphabet] = 1;
	}
	for (int s = 0; s < 16; s++)
		for (int v = 0; v < 32; v++)
			assert_true(seen[s][v]);
	/* and two codes are never the same in practice */
	char a[TRACK_CODE_LEN + 1], b[TRACK_CODE_LEN + 1];
	track_code_new(a);
	track_code_new(b);
	assert_string_not_equal(a, b);
}

static void test_code_normalize(void **state)
{
	static const struct {
		const char *in, *want; /* want NULL: refused */
	} v[] = {
		{"ABCD-EFGH-JKMN-PQRS", "ABCD-EFGH-JKMN-PQRS"},
		{"abcd efgh jkmn pqrs", "ABCD-EFGH-JKMN-PQRS"},
		{"abcdefghjkmnpqrs", "ABCD-EFGH-JKMN-PQRS"},
		{" O0Il-1111-2222-3333 ", "0011-1111-2222-3333"}, /* O as 0, I and L as 1 */
		{"ABCD-EFGH-JKMN-PQR", NULL},                     /* 15 symbols */
		{"ABCD-EFGH-JKMN-PQRST", NULL},                   /* 17 */
		{"ABCD-EFGH-JKMN-PQRU", NULL},                    /* U is not a symbol */
		{"ABCD_EFGH_JKMN_PQRS", NULL},
		{"", NULL},
		{"ABCD-EFGH-JKMN-PQR\xe4\xb8\xad", NULL},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char out[TRACK_CODE_LEN + 1];
		int rc = track_code_normalize(v[i].in, out);
		if (v[i].want) {
			assert_int_equal(rc, 0);
			assert_string_equal(out, v[i].want);
		} else {
			assert_int_equal(rc, -1);
		}
	}
	char out[TRACK_CODE_LEN + 1];
	assert_int_equal(track_code_normalize(NULL, out), -1);
	char long_text[200];
	memset(long_text, '-', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	memcpy(long_text, "ABCDEFGHJKMNPQRS", 16);
	assert_int_equal(track_code_normalize(long_text, out), -1);
}

static void test_vocabularies(void **state)
{
	assert_true(application_status_open(APP_ACCEPTED));
	assert_true(application_status_open(APP_PARTIAL));
	assert_true(application_status_open(APP_CORRECTING));
	assert_false(application_status_open(APP_CLOSED));
	assert_false(application_status_open(APP_ENDED));
	assert_false(application_status_open(NULL));
	for (int k = 0; k < STEP__COUNT; k++)
		assert_int_equal(application_step_parse(application_step_name(k)), k);
	assert_int_equal(application_step_parse("delete"), -1);
	assert_string_equal(application_step_title(STEP_CORRECT), "补正");
	assert_string_equal(application_queue_title("overdue"), "已逾期");
}

static void test_rate_limit(void **state)
{
	struct rate_limit *r = rate_limit_new(16, 3, 60);
	assert_non_null(r);
	int64_t t = 1000000;
	for (int i = 0; i < 3; i++)
		assert_int_equal(rate_limit_take(r, "10.0.0.1", t), 0);
	/* the fourth in the same minute waits for the window's end */
	assert_int_equal(rate_limit_take(r, "10.0.0.1", t + 10), 50);
	/* another address has its own count */
	assert_int_equal(rate_limit_take(r, "10.0.0.2", t + 10), 0);
	/* a new window counts again */
	assert_int_equal(rate_limit_take(r, "10.0.0.1", t + 60), 0);
	/* an IPv6 client counts for its /64: a fresh address in it is the same client; another
	 * /64 is not; IPv4 mapped into IPv6 stays one address */
	assert_int_equal(rate_limit_take(r, "2001:db8:1:2::1", t), 0);
	assert_int_equal(rate_limit_take(r, "2001:db8:1:2::abcd", t), 0);
	assert_int_equal(rate_limit_take(r, "2001:db8:1:2:ffff:1:2:3", t), 0);
	assert_int_equal(rate_limit_take(r, "2001:db8:1:2::99", t + 5), 55);
	assert_int_equal(rate_limit_take(r, "2001:db8:1:3::1", t + 5), 0);
	assert_int_equal(rate_limit_take(r, "::ffff:10.0.0.7", t), 0);
	assert_int_equal(rate_limit_take(r, "::ffff:10.0.0.8", t), 0);
	rate_limit_free(r);
}

/* Many more addresses than slots: memory stays the table's, and a fresh address is served. */
static void test_rate_limit_bounded(void **state)
{
	struct rate_limit *r = rate_limit_new(16, 2, 60);
	char key[32];
	for (int i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "192.168.%d.%d", i / 256, i % 256);
		assert_int_equal(rate_limit_take(r, key, 5000), 0);
	}
	assert_int_equal(rate_limit_take(r, "a", 5000), 0);
	assert_int_equal(rate_limit_take(r, "a", 5000), 0);
	assert_true(rate_limit_take(r, "a", 5000) > 0);
	/* an overlong key is cut, not overflowed */
	char longkey[300];
	memset(longkey, 'k', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	assert_int_equal(rate_limit_take(r, longkey, 5000), 0);
	rate_limit_free(r);
}

static void test_qr(void **state)
{
	struct buf path;
	int size = 0;
	buf_init(&path, 1 << 20);
	assert_int_equal(qr_path("http://localhost/track?code=ABCD-EFGH-JKMN-PQRS", &path, &size),
			 0);
	assert_true(size >= 21 && (size - 17) % 4 == 0); /* a QR version's width: 17 + 4v */
	assert_memory_equal(buf_cstr(&path), "M0,0h7v1h-7z", 12); /* the finder pattern's top row */
	buf_free(&path);
	buf_init(&path, 1 << 20);
	assert_int_equal(qr_path("", &path, &size), VE_INVALID);
	buf_free(&path);
	json_t *j = qr_json("x");
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "size")), 21 + 8);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_shape),
		cmocka_unit_test(test_code_bits),
		cmocka_unit_test(test_code_normalize),
		cmocka_unit_test(test_vocabularies),
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_rate_limit_bounded),
		cmocka_unit_test(test_qr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
