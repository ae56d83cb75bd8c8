/*
 * report_csv.c -- one section as RFC 4180 CSV: CRLF line ends, fields
 * quoted where they must be, numbers plain so a spreadsheet can add them.
 */
#include <string.h>

#include "report.h"


/* A plain number, as chg writes them: -?digits[.digits][%]. */
static bool plain_number(const char *s) {
  if (*s == '-') s++;
  if (!(*s >= '0' && *s <= '9')) return false;
  while (*s >= '0' && *s <= '9') s++;
  if (*s == '.') {
    s++;
    if (!(*s >= '0' && *s <= '9')) return false;
    while (*s >= '0' && *s <= '9') s++;
  }
  if (*s == '%') s++;
  return *s == '\0';
}

static void field(FILE *out, const char *s) {
  bool quote = strpbrk(s, ",\"\r\n") != NULL || (*s == ' ' || (*s && s[strlen(s) - 1] == ' '));
  /* text a spreadsheet would run as a formula gets a leading apostrophe */
  bool formula = strchr("=+-@\t\r", *s) && *s && !plain_number(s);
  if (!quote && !formula) {
    fputs(s, out);
    return;
  }
  fputc('"', out);
  if (formula) fputc('\'', out);
  for (; *s; s++) {
    if (*s == '"') fputc('"', out);
    fputc(*s, out);
  }
  fputc('"', out);
}

/* Rows [from, to) of the section, after its header row when from is 0. */
static void part(const chg_report *r, const chg_table *t, size_t index, size_t from, size_t to,
                 FILE *out) {
  (void)index; /* CSV holds one section: chg_write_report sees to it */
  char *buf = r->buf;
  if (from == 0) {
    for (size_t c = 0; c < t->ncols; c++) {
      if (c) fputc(',', out);
      field(out, t->cols[c].title);
    }
    fputs("\r\n", out);
  }
  for (size_t row = from; row < to; row++) {
    for (size_t c = 0; c < t->ncols; c++) {
      if (c) fputc(',', out);
      field(out, chg_cell_str(chg_table_cell(t, row, c), buf, CHG_CELL_MAX, true));
    }
    fputs("\r\n", out);
  }
}

static void table(const chg_report *r, const chg_table *t, size_t index, FILE *out) {
  part(r, t, index, 0, t->nrows, out);
}

static void begin(const chg_report *r, FILE *out) { (void)r, (void)out; }
static void end(const chg_report *r, size_t ntables, FILE *out) { (void)r, (void)ntables, (void)out; }

const chg_writer chg_csv_writer = {"csv", begin, table, end, true, part};
