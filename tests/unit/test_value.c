/* Exact literals: decimals, money, calendar arithmetic, formatting. */
#include "testutil.h"
#include "format.h"

static chg_dec dec(const char *s) {
  chg_dec d;
  assert_int_equal(chg_dec_parse(s, strlen(s), &d), CHG_LIT_OK);
  return d;
}

static void test_decimal_parse(void **state) {
  (void)state;
  chg_dec d = dec("42");
  assert_int_equal(d.m, 42);
  assert_int_equal(d.scale, 0);
  d = dec("3.5");
  assert_int_equal(d.m, 35);
  assert_int_equal(d.scale, 1);
  d = dec("25_876");
  assert_int_equal(d.m, 25876);
  d = dec("1.50");
  assert_int_equal(d.m, 15); /* trailing zeros carry no value */
  assert_int_equal(d.scale, 1);
  d = dec("9223372036854775807");
  assert_int_equal(d.m, INT64_MAX);
  chg_dec out;
  assert_int_equal(chg_dec_parse("9223372036854775808", 19, &out), CHG_LIT_OVERFLOW);
  assert_int_equal(chg_dec_parse("1__0", 4, &out), CHG_LIT_MALFORMED);
  assert_int_equal(chg_dec_parse("10_", 3, &out), CHG_LIT_MALFORMED);
  assert_int_equal(chg_dec_parse("1_.5", 4, &out), CHG_LIT_MALFORMED);
  assert_int_equal(chg_dec_parse("0.1234567890123456789", 21, &out), CHG_LIT_TOO_PRECISE);
}

static int64_t pence(const char *s) {
  int64_t p = -1;
  assert_int_equal(chg_money_parse(s, strlen(s), &p), CHG_LIT_OK);
  return p;
}

static void test_money_parse(void **state) {
  (void)state;
  assert_int_equal(pence("8.2m"), 820000000LL);
  assert_int_equal(pence("600k"), 60000000LL);
  assert_int_equal(pence("1.5bn"), 150000000000LL);
  assert_int_equal(pence("12_500"), 1250000LL);
  assert_int_equal(pence("12.34"), 1234LL);
  assert_int_equal(pence("0.01"), 1LL);
  assert_int_equal(pence("1.23456m"), 123456000LL);
  assert_int_equal(pence("85.7m"), 8570000000LL);
  assert_int_equal(pence("1.0000001m"), 100000010LL); /* ten pence */
  int64_t p;
  assert_int_equal(chg_money_parse("0.001", 5, &p), CHG_LIT_INEXACT);
  assert_int_equal(chg_money_parse("1.000000001m", 12, &p), CHG_LIT_INEXACT);
  assert_int_equal(chg_money_parse("92233720368547759bn", 19, &p), CHG_LIT_OVERFLOW);
  assert_int_equal(chg_money_parse("5x", 2, &p), CHG_LIT_MALFORMED);
  /* the largest amount that fits: 92,233,720,368,547,758.07 pounds */
  assert_int_equal(pence("92233720368547758.07"), INT64_MAX);
}

static void test_calendar(void **state) {
  (void)state;
  assert_int_equal(chg_days_from_civil(1970, 1, 1), 0);
  assert_int_equal(chg_days_from_civil(2000, 3, 1), 11017);
  assert_true(chg_date_valid(2024, 2, 29));
  assert_false(chg_date_valid(2023, 2, 29));
  assert_true(chg_date_valid(2000, 2, 29)); /* divisible by 400 */
  assert_false(chg_date_valid(1900, 2, 29)); /* divisible by 100 */
  assert_false(chg_date_valid(2022, 2, 30));
  assert_false(chg_date_valid(2022, 13, 1));
  assert_false(chg_date_valid(2022, 4, 31));
  assert_false(chg_date_valid(2022, 1, 0));
  /* round trip over four centuries, including every leap day */
  for (int32_t z = chg_days_from_civil(1900, 1, 1);
       z < chg_days_from_civil(2300, 1, 1); z++) {
    int y;
    unsigned m, d;
    chg_civil_from_days(z, &y, &m, &d);
    assert_true(chg_date_valid(y, m, d));
    assert_int_equal(chg_days_from_civil(y, m, d), z);
  }
  assert_int_equal(chg_days_from_civil(2022, 8, 22) - chg_days_from_civil(2022, 3, 31), 144);
  /* the days a four-digit date literal can name, and no more */
  assert_int_equal(CHG_DAY_FIRST, chg_days_from_civil(0, 1, 1));
  assert_int_equal(CHG_DAY_LAST, chg_days_from_civil(9999, 12, 31));
  assert_true(chg_day_writable(CHG_DAY_FIRST));
  assert_true(chg_day_writable(CHG_DAY_LAST));
  assert_false(chg_day_writable(CHG_DAY_FIRST - 1));
  assert_false(chg_day_writable(CHG_DAY_LAST + 1));
  assert_false(chg_day_writable((int64_t)INT32_MAX + 1));
  assert_false(chg_day_writable(INT64_MIN));
}

static void test_decimal_arithmetic(void **state) {
  (void)state;
  chg_dec r;
  assert_true(chg_dec_add(dec("0.1"), dec("0.2"), &r));
  assert_int_equal(chg_dec_cmp(r, dec("0.3")), 0); /* no float drift */
  assert_true(chg_dec_sub(dec("1"), dec("0.25"), &r));
  assert_int_equal(chg_dec_cmp(r, dec("0.75")), 0);
  assert_true(chg_dec_mul(dec("1.5"), dec("4"), &r));
  assert_int_equal(chg_dec_cmp(r, dec("6")), 0);
  /* 30 of 32 is exactly 0.9375 */
  assert_true(chg_dec_div(dec("30"), dec("32"), 12, &r));
  assert_int_equal(chg_dec_cmp(r, dec("0.9375")), 0);
  /* 2/3 rounds half to even at the scale asked */
  assert_true(chg_dec_div(dec("2"), dec("3"), 4, &r));
  assert_int_equal(chg_dec_cmp(r, dec("0.6667")), 0);
  assert_true(chg_dec_div(dec("1"), dec("8"), 2, &r)); /* 0.125 -> 0.12 */
  assert_int_equal(chg_dec_cmp(r, dec("0.12")), 0);
  assert_true(chg_dec_div(dec("3"), dec("8"), 2, &r)); /* 0.375 -> 0.38 */
  assert_int_equal(chg_dec_cmp(r, dec("0.38")), 0);
  chg_dec minus = {-1, 0};
  assert_true(chg_dec_div(minus, dec("8"), 2, &r)); /* -0.125 -> -0.12 */
  chg_dec want = {-12, 2};
  assert_int_equal(chg_dec_cmp(r, want), 0);
  assert_false(chg_dec_div(dec("1"), dec("0"), 4, &r));
  chg_dec big = {INT64_MAX, 0};
  assert_false(chg_dec_add(big, dec("1"), &r));
  assert_false(chg_dec_mul(big, dec("2"), &r));
  /* a quotient whose whole part leaves no room for the places asked keeps
   * the places that fit, not "too large" */
  assert_true(chg_dec_div(dec("123456789"), dec("10"), 12, &r));
  assert_int_equal(chg_dec_cmp(r, dec("12345678.9")), 0);
  assert_true(chg_dec_div(dec("50000000"), dec("3"), 12, &r));
  assert_int_equal(chg_dec_cmp(r, dec("16666666.66666666667")), 0);
  assert_true(chg_dec_div(dec("9000000000000000000"), dec("3"), 12, &r));
  assert_int_equal(chg_dec_cmp(r, dec("3000000000000000000")), 0);
  assert_false(chg_dec_div(big, dec("0.5"), 12, &r)); /* too large even whole */
  /* a divisor of many places keeps all twelve of the quotient's: its
   * shift past 10^18 is done by long division, not dropped places */
  assert_true(chg_dec_div(dec("5"), dec("2.000000000000000001"), 12, &r));
  assert_int_equal(chg_dec_cmp(r, dec("2.5")), 0);
  assert_true(chg_dec_div(dec("3"), dec("0.333333333333"), 12, &r));
  assert_int_equal(chg_dec_cmp(r, dec("9.000000000009")), 0);
  assert_true(chg_dec_div(dec("1"), dec("0.666666666667"), 12, &r));
  assert_int_equal(chg_dec_cmp(r, dec("1.499999999999")), 0);
  assert_true(chg_dec_div(dec("1"), dec("0.0000003"), 12, &r));
  assert_int_equal(chg_dec_cmp(r, dec("3333333.333333333333")), 0);
  /* money divided is rounded once, to the penny, half away from zero */
  assert_true(chg_dec_div_whole(dec("1"), dec("2.0000000000001"), &r));
  assert_int_equal(chg_dec_cmp(r, dec("0")), 0);
  assert_true(chg_dec_div_whole(dec("5"), dec("2"), &r));
  assert_int_equal(chg_dec_cmp(r, dec("3")), 0);
  assert_true(chg_dec_div_whole(minus, dec("2"), &r));
  assert_int_equal(chg_dec_cmp(r, minus), 0);
  assert_false(chg_dec_div_whole(dec("1"), dec("0"), &r));
  /* a product is exact or refused, never cut short past 18 places */
  assert_false(chg_dec_mul(dec("0.0000000001"), dec("0.0000000001"), &r));
  assert_true(chg_dec_mul(dec("0.000000001"), dec("0.000000001"), &r));
  assert_int_equal(chg_dec_cmp(r, dec("0.000000000000000001")), 0);
  assert_true(chg_dec_mul(dec("0.5000000000"), dec("0.2000000000"), &r)); /* 20 places, zeros */
  assert_int_equal(chg_dec_cmp(r, dec("0.1")), 0);
  assert_true(chg_dec_cmp(dec("0.92"), dec("0.9")) > 0);
  assert_true(chg_dec_cmp(dec("9"), dec("10")) < 0);
}

static void test_formatting(void **state) {
  (void)state;
  char buf[64];
  chg_dec_format(dec("3.50"), buf, sizeof buf);
  assert_string_equal(buf, "3.5");
  chg_dec neg = {-5, 2};
  chg_dec_format(neg, buf, sizeof buf);
  assert_string_equal(buf, "-0.05");
  chg_value v;
  memset(&v, 0, sizeof v);
  v.kind = CHG_V_MONEY;
  v.u.pence = -820000000;
  chg_value_format(&v, buf, sizeof buf);
  assert_string_equal(buf, "-£8200000");
  v.u.pence = 1234;
  chg_value_format(&v, buf, sizeof buf);
  assert_string_equal(buf, "£12.34");
  v.kind = CHG_V_PERCENT;
  chg_set_dec(&v, dec("0.125"));
  chg_value_format(&v, buf, sizeof buf);
  assert_string_equal(buf, "12.5%");
  v.kind = CHG_V_FY;
  v.u.fy = 2099;
  chg_value_format(&v, buf, sizeof buf);
  assert_string_equal(buf, "2099/00");
  v.kind = CHG_V_QUARTER;
  v.u.quarter = 2022 * 4 + 2;
  chg_value_format(&v, buf, sizeof buf);
  assert_string_equal(buf, "2022-Q3");
  assert_int_equal(chg_month_from_name("april"), 4);
  assert_int_equal(chg_month_from_name("Apr"), 0);
  /* money for people: a tiny saving keeps its sign, an exact zero has none,
   * and the unit is chosen after rounding */
  chg_fmt_money(buf, sizeof buf, -4000000, CHG_MONEY_MILLIONS, true);
  assert_string_equal(buf, "\xE2\x88\x92\xC2\xA3" "0.0m");
  chg_fmt_money(buf, sizeof buf, 0, CHG_MONEY_MILLIONS, true);
  assert_string_equal(buf, "\xC2\xA3" "0.0m");
  chg_fmt_money(buf, sizeof buf, -857000000 * 10LL, CHG_MONEY_MILLIONS, true);
  assert_string_equal(buf, "\xE2\x88\x92\xC2\xA3" "85.7m");
  chg_fmt_money(buf, sizeof buf, 99999999, CHG_MONEY_AUTO, false);
  assert_string_equal(buf, "\xC2\xA3" "1m");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_decimal_parse),
      cmocka_unit_test(test_money_parse),
      cmocka_unit_test(test_calendar),
      cmocka_unit_test(test_decimal_arithmetic),
      cmocka_unit_test(test_formatting),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
