/*
 * value.h -- exact literals: decimals, money in pence, calendar dates,
 * months, quarters and financial years, and how each is written.
 */
#ifndef CHG_VALUE_H
#define CHG_VALUE_H

#include "ast.h"

#define CHG_DEC_MAX_SCALE 18

typedef enum chg_lit_status {
  CHG_LIT_OK,
  CHG_LIT_MALFORMED, /* `1__0`, a trailing `_` */
  CHG_LIT_OVERFLOW,  /* too large to hold exactly */
  CHG_LIT_INEXACT,   /* finer than the unit can hold (a fraction of a penny) */
  CHG_LIT_TOO_PRECISE /* more decimal places than a decimal holds */
} chg_lit_status;

/* Digits with optional `_` separators and an optional fraction. */
chg_lit_status chg_dec_parse(const char *s, size_t n, chg_dec *out);
/* "£8.2m" and friends, without the sign; the text starts after `£`. */
chg_lit_status chg_money_parse(const char *s, size_t n, int64_t *pence);

/* Days since 1970-01-01 in the proleptic Gregorian calendar. */
int32_t chg_days_from_civil(int y, unsigned m, unsigned d);
void chg_civil_from_days(int32_t z, int *y, unsigned *m, unsigned *d);
bool chg_date_valid(int y, unsigned m, unsigned d);
unsigned chg_days_in_month(int y, unsigned m);
/* The days a date literal can name: 0000-01-01 to 9999-12-31 (four-digit
 * years).  Date arithmetic whose result falls outside cannot be written,
 * so it is an error, never a wrapped or five-digit year. */
#define CHG_DAY_FIRST (-719528) /* 0000-01-01 */
#define CHG_DAY_LAST 2932896    /* 9999-12-31 */
bool chg_day_writable(int64_t day);

/* Arithmetic on decimals; false on overflow. */
bool chg_dec_add(chg_dec a, chg_dec b, chg_dec *out);
bool chg_dec_sub(chg_dec a, chg_dec b, chg_dec *out);
bool chg_dec_mul(chg_dec a, chg_dec b, chg_dec *out);
/* Division rounds half to even at `scale` digits; false on overflow or
 * a zero divisor. */
bool chg_dec_div(chg_dec a, chg_dec b, int32_t scale, chg_dec *out);
/* Division to a whole number, rounded once, half away from zero (money
 * divided: pence); false on overflow or a zero divisor. */
bool chg_dec_div_whole(chg_dec a, chg_dec b, chg_dec *out);
int chg_dec_cmp(chg_dec a, chg_dec b);
chg_dec chg_dec_from_int(int64_t v);
chg_dec chg_dec_normalise(chg_dec a);

/* Writing values back, the way the language spells them. */
/* `FY23`, `fy2023`: a financial year written short, as board papers do.
 * Writes what to write instead to buf and returns true; false for any
 * other word (`FY2023_plan` is a name like any other). */
bool chg_fy_short_hint(const char *word, char *buf, size_t size);
const char *chg_month_name(unsigned m); /* 1..12: "january" */
int chg_month_from_name(const char *name); /* 1..12, 0 if none */
size_t chg_dec_format(chg_dec v, char *buf, size_t size);
size_t chg_value_format(const chg_value *v, char *buf, size_t size);

#endif
