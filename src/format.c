/*
 * format.c -- writing figures for people.  Rounding happens here and
 * nowhere else: half away from zero, once.
 */
#include "format.h"

#include <stdio.h>
#include <string.h>

#include "value.h"

typedef __int128 wide;

static const char MINUS[] = "\xE2\x88\x92"; /* U+2212 */

/* a, b, c and d one after another, cut to fit as snprintf would; the
 * length they take uncut.  A report formats millions of cells, and
 * snprintf's parsing of its format was a seventh of a JSON report. */
static size_t join(char *out, size_t size, const char *a, const char *b, const char *c,
                   const char *d) {
  const char *parts[] = {a, b, c, d};
  size_t n = 0;
  for (size_t i = 0; i < 4; i++) {
    size_t len = strlen(parts[i]);
    if (n < size) memcpy(out + n, parts[i], n + len < size ? len : size - n);
    n += len;
  }
  if (size) out[n < size ? n : size - 1] = '\0';
  return n;
}

size_t chg_fmt_text(char *buf, size_t size, const char *s) { return join(buf, size, s, "", "", ""); }

chg_dec chg_dec_round(chg_dec v, int places) {
  if (v.scale <= places) return v;
  wide m = v.m;
  int drop = v.scale - places;
  wide div = 1;
  for (int i = 0; i < drop; i++) div *= 10;
  wide q = m / div, r = m % div;
  if (r < 0) r = -r;
  if (r * 2 >= div) q += m < 0 ? -1 : 1;
  chg_dec out = {(int64_t)q, places};
  return chg_dec_normalise(out);
}

/* Writes |m| / 10^scale, thousands grouped if asked.  With fixed_places
 * < 0 trailing zeros of the fraction are dropped; otherwise the fraction is
 * padded to fixed_places (callers round to at most that many first). */
static size_t write_abs(char *out, size_t size, wide m, int scale, bool grouped,
                        int fixed_places) {
  if (m < 0) m = -m;
  char digits[64];
  int n = 0;
  do {
    digits[n++] = (char)('0' + (int)(m % 10));
    m /= 10;
  } while (m);
  while (n <= scale) digits[n++] = '0';
  char buf[96];
  size_t k = 0;
  for (int i = n - 1; i >= scale; i--) {
    buf[k++] = digits[i];
    if (grouped && i > scale && (i - scale) % 3 == 0) buf[k++] = ',';
  }
  int keep = fixed_places >= 0 && fixed_places < scale ? fixed_places : scale;
  if (fixed_places < 0) {
    keep = 0;
    for (int i = 0; i < scale; i++)
      if (digits[i] != '0') {
        keep = scale - i;
        break;
      }
  }
  int width = fixed_places >= 0 ? fixed_places : keep;
  if (width > 0) {
    buf[k++] = '.';
    for (int i = scale - 1; i >= scale - keep; i--) buf[k++] = digits[i];
    for (int i = keep; i < width; i++) buf[k++] = '0';
  }
  buf[k] = '\0';
  return join(out, size, buf, "", "", "");
}

size_t chg_fmt_dec(char *buf, size_t size, chg_dec v, int places, bool grouped,
                   bool unicode_minus) {
  chg_dec r = chg_dec_round(v, places);
  char body[96];
  write_abs(body, sizeof body, r.m, r.scale, grouped, -1);
  const char *sign = r.m < 0 ? (unicode_minus ? MINUS : "-") : "";
  return join(buf, size, sign, body, "", "");
}

size_t chg_fmt_percent(char *buf, size_t size, chg_dec fraction, bool unicode_minus) {
  chg_dec pct;
  if (!chg_dec_mul(fraction, chg_dec_from_int(100), &pct))
    return (size_t)snprintf(buf, size, "?%%");
  /* to two places, but never shown as whole or as none when it is not:
   * a milestone 99.999% done reads 99.999%, not 100% */
  int places = 2;
  chg_dec shown = chg_dec_round(pct, 2);
  bool edge = shown.m == 0 || chg_dec_cmp(shown, chg_dec_from_int(100)) == 0 ||
              chg_dec_cmp(shown, chg_dec_from_int(-100)) == 0;
  while (edge && places < 18 && chg_dec_cmp(chg_dec_round(pct, places), pct) != 0 &&
         chg_dec_cmp(chg_dec_round(pct, places), shown) == 0)
    places++;
  size_t n = chg_fmt_dec(buf, size, pct, places, false, unicode_minus);
  if (n + 2 <= size) {
    buf[n] = '%';
    buf[n + 1] = '\0';
  }
  return n + 1;
}

size_t chg_fmt_count(char *buf, size_t size, int64_t n, bool unicode_minus) {
  return chg_fmt_dec(buf, size, chg_dec_from_int(n), 0, true, unicode_minus);
}

size_t chg_fmt_money(char *buf, size_t size, int64_t pence, chg_money_style style,
                     bool unicode_minus) {
  const char *minus = unicode_minus ? MINUS : "-";
  const char *sign = pence < 0 ? minus : "";
  wide a = pence < 0 ? -(wide)pence : (wide)pence;
  char body[96];
  chg_dec v;
  switch (style) {
  case CHG_MONEY_MILLIONS:
    v = chg_dec_round((chg_dec){(int64_t)a, 8}, 1); /* pence / 10^8 = £m */
    write_abs(body, sizeof body, v.m, v.scale, true, 1);
    /* a saving too small to show is still a saving: "−£0.0m"; only an
     * exact zero is "£0.0m" */
    return join(buf, size, sign, "£", body, "m");
  case CHG_MONEY_EXACT:
    write_abs(body, sizeof body, a, 2, true, a % 100 ? 2 : 0);
    return join(buf, size, sign, "£", body, "");
  case CHG_MONEY_AUTO:
  case CHG_MONEY_FINE:
    break;
  }
  /* The unit is chosen after rounding, so £999,999.99 is £1m, not £1,000k. */
  static const struct {
    int scale, places;
    const char *suffix;
  } units[] = {{11, 2, "bn"}, {8, 2, "m"}, {5, 1, "k"}};
  static const int64_t floors[] = {100000000000LL, 100000000LL, 100000LL}; /* £1bn, £1m, £1k */
  size_t largest = style == CHG_MONEY_FINE ? 1 : 0;
  for (size_t i = largest; i < 3; i++) {
    if (a < floors[i]) continue;
    v = chg_dec_round((chg_dec){(int64_t)a, units[i].scale}, units[i].places);
    if (i > largest && chg_dec_cmp(v, chg_dec_from_int(1000)) >= 0) {
      i--; /* rounding reached the next unit up */
      v = chg_dec_round((chg_dec){(int64_t)a, units[i].scale}, units[i].places);
    }
    write_abs(body, sizeof body, v.m, v.scale, true, -1);
    return join(buf, size, sign, "£", body, units[i].suffix);
  }
  write_abs(body, sizeof body, a, 2, true, a % 100 ? 2 : 0);
  return join(buf, size, sign, "£", body, "");
}

size_t chg_fmt_day(char *buf, size_t size, int32_t day) {
  int y;
  unsigned m, d;
  chg_civil_from_days(day, &y, &m, &d);
  if (y < 0 || y > 9999 || size < 11) return (size_t)snprintf(buf, size, "%04d-%02u-%02u", y, m, d);
  char *p = buf;
  for (int div = 1000; div; div /= 10) *p++ = (char)('0' + y / div % 10);
  *p++ = '-';
  *p++ = (char)('0' + m / 10);
  *p++ = (char)('0' + m % 10);
  *p++ = '-';
  *p++ = (char)('0' + d / 10);
  *p++ = (char)('0' + d % 10);
  *p = '\0';
  return 10;
}

size_t chg_fmt_month(char *buf, size_t size, int32_t month) {
  return (size_t)snprintf(buf, size, "%04d-%02d", month / 12, month % 12 + 1);
}

size_t chg_fmt_fy(char *buf, size_t size, int32_t fy) {
  return (size_t)snprintf(buf, size, "%04d/%02d", fy, (fy + 1) % 100);
}
