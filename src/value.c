/*
 * value.c -- exact literals.  Nothing here touches a binary float: money
 * is whole pence, other numbers are decimals with an int64 mantissa, and
 * anything that cannot be held exactly is refused rather than rounded.
 */
#include "value.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef __int128 wide;

static const int64_t pow10_table[19] = {
    1LL,
    10LL,
    100LL,
    1000LL,
    10000LL,
    100000LL,
    1000000LL,
    10000000LL,
    100000000LL,
    1000000000LL,
    10000000000LL,
    100000000000LL,
    1000000000000LL,
    10000000000000LL,
    100000000000000LL,
    1000000000000000LL,
    10000000000000000LL,
    100000000000000000LL,
    1000000000000000000LL};

/* Reads [0-9_]+ ( . [0-9_]+ )? into a wide integer and a count of
 * fraction digits.  Underscores must sit between two digits. */
static chg_lit_status read_digits(const char *s, size_t n, wide *mant,
                                  int *frac_digits, size_t *used) {
  wide m = 0;
  int frac = 0;
  bool in_frac = false, prev_digit = false, any = false;
  size_t i = 0;
  for (; i < n; i++) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      if (m > ((wide)1 << 100)) return CHG_LIT_OVERFLOW;
      m = m * 10 + (c - '0');
      if (in_frac) frac++;
      prev_digit = any = true;
    } else if (c == '_') {
      if (!prev_digit || i + 1 >= n || s[i + 1] < '0' || s[i + 1] > '9')
        return CHG_LIT_MALFORMED;
      prev_digit = false;
    } else if (c == '.' && !in_frac) {
      if (!prev_digit || i + 1 >= n || s[i + 1] < '0' || s[i + 1] > '9')
        return CHG_LIT_MALFORMED;
      in_frac = true;
      prev_digit = false;
    } else {
      break;
    }
  }
  if (!any) return CHG_LIT_MALFORMED;
  *mant = m;
  *frac_digits = frac;
  *used = i;
  return CHG_LIT_OK;
}

/* Trailing zeros of a fraction carry no value (`2.50` is `2.5`): dropped
 * before any limit on decimal places is applied. */
static void drop_trailing_zeros(wide *m, int *frac) {
  if (*m <= UINT64_MAX) { /* almost always: 64-bit division is the processor's, 128-bit a call */
    uint64_t v = (uint64_t)*m;
    while (*frac > 0 && v % 10 == 0) {
      v /= 10;
      (*frac)--;
    }
    *m = v;
    return;
  }
  while (*frac > 0 && *m % 10 == 0) {
    *m /= 10;
    (*frac)--;
  }
}

chg_lit_status chg_dec_parse(const char *s, size_t n, chg_dec *out) {
  wide m;
  int frac;
  size_t used;
  chg_lit_status st = read_digits(s, n, &m, &frac, &used);
  if (st) return st;
  if (used != n) return CHG_LIT_MALFORMED;
  drop_trailing_zeros(&m, &frac);
  if (frac > CHG_DEC_MAX_SCALE) return CHG_LIT_TOO_PRECISE;
  if (m > INT64_MAX) return CHG_LIT_OVERFLOW;
  out->m = (int64_t)m;
  out->scale = frac;
  return CHG_LIT_OK;
}

chg_lit_status chg_money_parse(const char *s, size_t n, int64_t *pence) {
  wide m;
  int frac;
  size_t used;
  chg_lit_status st = read_digits(s, n, &m, &frac, &used);
  if (st) return st;
  int places = 2; /* pence in a pound: the amount is m * 10^places / 10^frac pence */
  const char *suffix = s + used;
  size_t rest = n - used;
  if (rest == 0) {
  } else if (rest == 1 && suffix[0] == 'k') {
    places += 3;
  } else if (rest == 1 && suffix[0] == 'm') {
    places += 6;
  } else if (rest == 2 && suffix[0] == 'b' && suffix[1] == 'n') {
    places += 9;
  } else {
    return CHG_LIT_MALFORMED;
  }
  drop_trailing_zeros(&m, &frac);
  if (frac > 18) return CHG_LIT_INEXACT; /* finer than a penny anyway */
  /* Too large to hold is said before too fine: past INT64_MAX pence
   * whatever the fraction.  With no trailing zeros left, more fraction
   * digits than `places` is always a part of a penny. */
  if (frac >= places) {
    if (m > (wide)INT64_MAX * pow10_table[frac - places]) return CHG_LIT_OVERFLOW;
    if (frac > places) return CHG_LIT_INEXACT;
    *pence = (int64_t)m;
    return CHG_LIT_OK;
  }
  int64_t scale = pow10_table[places - frac];
  if (m > INT64_MAX / scale) return CHG_LIT_OVERFLOW;
  *pence = (int64_t)m * scale;
  return CHG_LIT_OK;
}

/* ---- calendar ------------------------------------------------------- */

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned chg_days_in_month(int y, unsigned m) {
  static const unsigned days[12] = {31, 28, 31, 30, 31, 30,
                                    31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return 0;
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

bool chg_date_valid(int y, unsigned m, unsigned d) {
  return m >= 1 && m <= 12 && d >= 1 && d <= chg_days_in_month(y, m);
}

bool chg_day_writable(int64_t day) {
  return day >= CHG_DAY_FIRST && day <= CHG_DAY_LAST;
}

/* The civil-calendar conversions count 400-year eras from 0000-03-01. */
int32_t chg_days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int32_t)doe - 719468;
}

void chg_civil_from_days(int32_t z, int *y, unsigned *m, unsigned *d) {
  z += 719468;
  const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = (unsigned)(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int yy = (int)yoe + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yy + (*m <= 2);
}

static const char *const month_names[12] = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

const char *chg_month_name(unsigned m) {
  return m >= 1 && m <= 12 ? month_names[m - 1] : "?";
}

int chg_month_from_name(const char *name) {
  for (int i = 0; i < 12; i++)
    if (strcasecmp(name, month_names[i]) == 0) return i + 1; /* April as april */
  return 0;
}

/* ---- decimal arithmetic ------------------------------------------------ */

chg_dec chg_dec_from_int(int64_t v) {
  chg_dec d = {v, 0};
  return d;
}

chg_dec chg_dec_normalise(chg_dec a) {
  while (a.scale > 0 && a.m % 10 == 0) {
    a.m /= 10;
    a.scale--;
  }
  if (a.m == 0) a.scale = 0;
  return a;
}

/* The range is symmetric, as documented: -(2^63 - 1) to 2^63 - 1, so that
 * every figure can be negated (INT64_MIN has no positive). */
static bool fits(wide v) { return v > INT64_MIN && v <= INT64_MAX; }

/* Brings both to the larger scale; false if that overflows. */
static bool align(chg_dec *a, chg_dec *b) {
  while (a->scale < b->scale) {
    wide v = (wide)a->m * 10;
    if (!fits(v)) return false;
    a->m = (int64_t)v;
    a->scale++;
  }
  while (b->scale < a->scale) {
    wide v = (wide)b->m * 10;
    if (!fits(v)) return false;
    b->m = (int64_t)v;
    b->scale++;
  }
  return true;
}

bool chg_dec_add(chg_dec a, chg_dec b, chg_dec *out) {
  if (!align(&a, &b)) return false;
  wide v = (wide)a.m + b.m;
  if (!fits(v)) return false;
  out->m = (int64_t)v;
  out->scale = a.scale;
  *out = chg_dec_normalise(*out);
  return true;
}

bool chg_dec_sub(chg_dec a, chg_dec b, chg_dec *out) {
  if (b.m == INT64_MIN) return false;
  b.m = -b.m;
  return chg_dec_add(a, b, out);
}

bool chg_dec_mul(chg_dec a, chg_dec b, chg_dec *out) {
  wide v = (wide)a.m * b.m;
  int32_t scale = a.scale + b.scale;
  while (scale > CHG_DEC_MAX_SCALE || (!fits(v) && scale > 0)) {
    if (v % 10 != 0) return false; /* exact, or not at all */
    v /= 10;                        /* only ever drops zeros */
    scale--;
  }
  if (!fits(v)) return false;
  out->m = (int64_t)v;
  out->scale = scale;
  *out = chg_dec_normalise(*out);
  return true;
}

/* a / b at `scale` decimal places, rounded half to even; false when even
 * the whole quotient cannot be held */
/* a/b = (a.m / 10^as) / (b.m / 10^bs) = a.m * 10^(bs - as) / b.m, rounded
 * at `scale` places half to even, or half away from zero (money). */
static bool divide_at(chg_dec a, chg_dec b, int32_t scale, bool half_even, chg_dec *out) {
  int32_t shift = scale + b.scale - a.scale;
  wide num = a.m, den = b.m;
  if (shift < 0) {
    if (-shift > 18) return false;
    den *= pow10_table[-shift];
    shift = 0;
  }
  bool negative = (num < 0) != (den < 0);
  if (num < 0) num = -num;
  if (den < 0) den = -den;
  /* long division, a digit at a time: a.m * 10^shift, up to 10^49, is past
   * even 128 bits (1 / 0.000000000000000001 at twelve places) */
  wide q = num / den, r = num % den;
  for (int32_t i = 0; i < shift; i++) {
    if (q > (wide)INT64_MAX) return false; /* only grows */
    r *= 10;
    q = q * 10 + r / den;
    r %= den;
  }
  wide twice = r * 2;
  if (twice > den || (twice == den && (!half_even || q % 2 != 0))) q += 1;
  if (negative) q = -q;
  if (!fits(q)) return false;
  out->m = (int64_t)q;
  out->scale = scale;
  *out = chg_dec_normalise(*out);
  return true;
}

/* A quotient keeps `scale` decimal places, or as many as it has room for
 * beside its whole part: 123456789 / 10 is 12345678.9, not "too large". */
bool chg_dec_div(chg_dec a, chg_dec b, int32_t scale, chg_dec *out) {
  if (b.m == 0) return false;
  for (int32_t s = scale; s >= 0; s--)
    if (divide_at(a, b, s, true, out)) return true;
  return false;
}

bool chg_dec_div_whole(chg_dec a, chg_dec b, chg_dec *out) {
  return b.m != 0 && divide_at(a, b, 0, false, out);
}

int chg_dec_cmp(chg_dec a, chg_dec b) {
  /* compare in wide integers: no alignment overflow */
  wide x = a.m, y = b.m;
  int32_t s = a.scale > b.scale ? a.scale : b.scale;
  for (int32_t i = a.scale; i < s; i++) x *= 10;
  for (int32_t i = b.scale; i < s; i++) y *= 10;
  return x < y ? -1 : x > y;
}

/* ---- formatting ------------------------------------------------------ */

size_t chg_dec_format(chg_dec v, char *buf, size_t size) {
  v = chg_dec_normalise(v);
  char digits[48];
  wide m = v.m;
  bool neg = m < 0;
  if (neg) m = -m;
  int n = 0;
  do {
    digits[n++] = (char)('0' + (int)(m % 10));
    m /= 10;
  } while (m);
  while (n <= v.scale) digits[n++] = '0';
  char out[64];
  size_t k = 0;
  if (neg) out[k++] = '-';
  for (int i = n - 1; i >= 0; i--) {
    out[k++] = digits[i];
    if (i == v.scale && i > 0) out[k++] = '.';
  }
  out[k] = '\0';
  return (size_t)snprintf(buf, size, "%s", out);
}

size_t chg_value_format(const chg_value *v, char *buf, size_t size) {
  int y;
  unsigned m, d;
  switch (v->kind) {
  case CHG_V_NUMBER:
    return chg_dec_format(chg_value_dec(v), buf, size);
  case CHG_V_PERCENT: {
    chg_dec pct;
    if (!chg_dec_mul(chg_value_dec(v), chg_dec_from_int(100), &pct))
      return (size_t)snprintf(buf, size, "?%%");
    size_t n = chg_dec_format(pct, buf, size);
    if (n + 1 < size) {
      buf[n] = '%';
      buf[n + 1] = '\0';
    }
    return n + 1;
  }
  case CHG_V_MONEY: {
    int64_t p = v->u.pence;
    const char *sign = p < 0 ? "-" : "";
    uint64_t a = p < 0 ? (uint64_t)0 - (uint64_t)p : (uint64_t)p;
    if (a % 100 == 0)
      return (size_t)snprintf(buf, size, "%s£%llu", sign,
                              (unsigned long long)(a / 100));
    return (size_t)snprintf(buf, size, "%s£%llu.%02llu", sign,
                            (unsigned long long)(a / 100),
                            (unsigned long long)(a % 100));
  }
  case CHG_V_DATE:
    chg_civil_from_days(v->u.day, &y, &m, &d);
    return (size_t)snprintf(buf, size, "%04d-%02u-%02u", y, m, d);
  case CHG_V_MONTH:
    return (size_t)snprintf(buf, size, "%04d-%02d", v->u.month / 12,
                            v->u.month % 12 + 1);
  case CHG_V_QUARTER:
    return (size_t)snprintf(buf, size, "%04d-Q%d", v->u.quarter / 4,
                            v->u.quarter % 4 + 1);
  case CHG_V_FY:
    return (size_t)snprintf(buf, size, "%04d/%02d", v->u.fy,
                            (v->u.fy + 1) % 100);
  case CHG_V_BOOL:
    return (size_t)snprintf(buf, size, "%s", v->u.b ? "true" : "false");
  case CHG_V_STRING:
    return (size_t)snprintf(buf, size, "\"%s\"", v->u.s);
  case CHG_V_NAME: {
    size_t k = 0;
    for (uint32_t i = 0; i < chg_path_len(v); i++) {
      int n = snprintf(buf + k, k < size ? size - k : 0, "%s%s", i ? "." : "",
                       chg_path_name(v, i));
      k += (size_t)n;
      if (k >= size) k = size ? size - 1 : 0;
    }
    return k;
  }
  case CHG_V_RANGE: {
    char a[64], b[64];
    chg_value_format(&v->u.range[0], a, sizeof a);
    chg_value_format(&v->u.range[1], b, sizeof b);
    return (size_t)snprintf(buf, size, "%s..%s", a, b);
  }
  case CHG_V_LIST:
    return (size_t)snprintf(buf, size, "[…]");
  case CHG_V_REF:
    return (size_t)snprintf(buf, size, "%s", chg_block_id_or(v->u.ref, "?"));
  case CHG_V_LEVEL:
    return (size_t)snprintf(buf, size, "level %d", chg_level_of(v));
  case CHG_V_KIND:
    return (size_t)snprintf(buf, size, "kind");
  case CHG_V_NONE:
    break;
  }
  return (size_t)snprintf(buf, size, "?");
}

bool chg_fy_short_hint(const char *word, char *buf, size_t size) {
  if ((word[0] != 'F' && word[0] != 'f') || (word[1] != 'Y' && word[1] != 'y')) return false;
  size_t n = 0;
  int year = 0;
  while (word[2 + n] >= '0' && word[2 + n] <= '9') year = year * 10 + (word[2 + n++] - '0');
  if (word[2 + n] || (n != 2 && n != 4)) return false;
  if (n == 2) year += 2000;
  snprintf(buf, size,
           "`%s`: write the financial year in full, `%04d/%02d` or `%04d/%02d` (the year it ends "
           "in, or the year it starts in)",
           word, year - 1, year % 100, year, (year + 1) % 100);
  return true;
}
