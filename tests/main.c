/*
 * main.c -- the one Check runner: every suite_<module>() of tests.h.
 * CK_RUN_SUITE=name runs one suite; CK_FORK=no runs in-process (for a debugger).
 */
#include "config.h"
#include "tests.h"

#include <stdlib.h>

int main(void)
{
	SRunner *sr = srunner_create(suite_escape());
	int failed;

	srunner_add_suite(sr, suite_query());
	srunner_add_suite(sr, suite_reply());
	srunner_add_suite(sr, suite_net());
	srunner_add_suite(sr, suite_smtp());
	srunner_add_suite(sr, suite_args());
	srunner_add_suite(sr, suite_lookup());
	srunner_add_suite(sr, suite_mxplan());
	srunner_add_suite(sr, suite_json());
	srunner_add_suite(sr, suite_mxout());
	srunner_add_suite(sr, suite_prop());
	srunner_add_suite(sr, suite_propout());
	srunner_add_suite(sr, suite_explain());
	srunner_add_suite(sr, suite_trace());
	srunner_add_suite(sr, suite_record());
	srunner_add_suite(sr, suite_ttl());
	srunner_add_suite(sr, suite_view());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
