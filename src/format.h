/*
 * format.h -- how figures are written for people: money, decimals,
 * percentages, counts and dates.  Every rounding rule is here, and each
 * is documented in docs/reports.md: values are exact until this point,
 * and are rounded once, half away from zero, only for display.
 */
#ifndef CHG_FORMAT_H
#define CHG_FORMAT_H

#include "ast.h"

typedef enum chg_money_style {
  CHG_MONEY_AUTO,     /* £1.5bn, £8.25m, £600k, £12.50: to the nearest £10k over £1m */
  CHG_MONEY_MILLIONS, /* £85.7m: millions to one decimal place, as in a savings table */
  CHG_MONEY_FINE,     /* as AUTO, but £1,396.71m, not £1.4bn: a savings table of finer
                         figures, whose large ones are read against its £m */
  CHG_MONEY_EXACT     /* £8,200,000.00: every penny */
} chg_money_style;

/* `unicode_minus`: write U+2212 for a negative (text, Markdown, HTML), or
 * an ASCII hyphen (CSV). */
size_t chg_fmt_money(char *buf, size_t size, int64_t pence, chg_money_style style,
                     bool unicode_minus);
/* A decimal rounded to at most `places` decimal places, trailing zeros
 * dropped; thousands separated with commas when `grouped`. */
size_t chg_fmt_dec(char *buf, size_t size, chg_dec v, int places, bool grouped,
                   bool unicode_minus);
/* A fraction as a percentage to at most two places: 0.9375 is "93.75%". */
size_t chg_fmt_percent(char *buf, size_t size, chg_dec fraction, bool unicode_minus);
size_t chg_fmt_count(char *buf, size_t size, int64_t n, bool unicode_minus);
size_t chg_fmt_day(char *buf, size_t size, int32_t day);
/* `s` copied, cut to fit as snprintf would; its whole length. */
size_t chg_fmt_text(char *buf, size_t size, const char *s);
size_t chg_fmt_month(char *buf, size_t size, int32_t month);
size_t chg_fmt_fy(char *buf, size_t size, int32_t fy);

/* Rounds v to `places` decimal places, half away from zero. */
chg_dec chg_dec_round(chg_dec v, int places);

#endif
