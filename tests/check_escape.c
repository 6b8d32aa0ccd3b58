/*
 * check_escape.c -- the escaper: every byte outside 0x20..0x7E becomes \DDD.
 */
#include "config.h"
#include "tests.h"
#include "dns/escape.h"

#include <stdlib.h>
#include <string.h>

static void assert_escaped(const void *in, size_t len, const char *want)
{
	char *out = esc_bytes(in, len);

	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, want);
	for (const char *p = out; *p; p++)
		ck_assert(*p >= 0x20 && *p <= 0x7e);
	free(out);
}

START_TEST(esc_bytes_printable_kept)
{
	assert_escaped("mx1.example.test. \"v=spf1 -all\"", 31,
	               "mx1.example.test. \"v=spf1 -all\"");
}
END_TEST

START_TEST(esc_bytes_controls)
{
	/* ESC [31m, BEL, TAB, NUL, DEL */
	assert_escaped("\033[31m\a\t\0\177", 9, "\\027[31m\\007\\009\\000\\127");
}
END_TEST

START_TEST(esc_bytes_c1_and_utf8)
{
	/* C1 CSI (0x9b), valid UTF-8 e-acute, invalid UTF-8 (lone continuation, overlong) */
	const unsigned char in[] = {0x9b, 0xc3, 0xa9, 0x80, 0xc0, 0xaf};
	assert_escaped(in, sizeof(in), "\\155\\195\\169\\128\\192\\175");
}
END_TEST

START_TEST(esc_bytes_empty)
{
	assert_escaped(NULL, 0, "");
}
END_TEST

START_TEST(esc_str_osc_sequence)
{
	char *out = esc_str("\033]0;pwned\007");
	ck_assert_str_eq(out, "\\027]0;pwned\\007");
	free(out);
	out = esc_str(NULL);
	ck_assert_str_eq(out, "");
	free(out);
}
END_TEST

START_TEST(esc_buf_truncates_whole_escapes)
{
	char buf[8];
	size_t need = esc_buf(buf, sizeof(buf), "ab\033cd", 5);

	ck_assert_uint_eq(need, 8); /* "ab\027cd" */
	/* 7 characters fit: "ab\027c" would be 7; the escape is never split */
	ck_assert_str_eq(buf, "ab\\027c");
	need = esc_buf(buf, 4, "ab\033", 3);
	ck_assert_uint_eq(need, 6);
	ck_assert_str_eq(buf, "ab");
}
END_TEST

START_TEST(esc_raw_escapes_backslash)
{
	/* a server must not be able to forge "\027" in raw option data */
	char *out = esc_raw("a\\027b\033", 7);

	ck_assert_str_eq(out, "a\\092027b\\027");
	free(out);
	out = esc_bytes("a\\027", 5); /* ldns text: its backslashes are already escapes */
	ck_assert_str_eq(out, "a\\027");
	free(out);
}
END_TEST

Suite *suite_escape(void)
{
	Suite *s = suite_create("escape");
	TCase *tc = tcase_create("esc_bytes");

	tcase_add_test(tc, esc_bytes_printable_kept);
	tcase_add_test(tc, esc_bytes_controls);
	tcase_add_test(tc, esc_bytes_c1_and_utf8);
	tcase_add_test(tc, esc_bytes_empty);
	suite_add_tcase(s, tc);
	tc = tcase_create("esc_str");
	tcase_add_test(tc, esc_str_osc_sequence);
	tcase_add_test(tc, esc_raw_escapes_backslash);
	suite_add_tcase(s, tc);
	tc = tcase_create("esc_buf");
	tcase_add_test(tc, esc_buf_truncates_whole_escapes);
	suite_add_tcase(s, tc);
	return s;
}
