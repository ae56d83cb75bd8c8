/*
 * fmt.h -- what the formatter's modules share: loading one file without
 * following its `use` and `include` lines, and comparing two parsed trees
 * (fmt.c checks every result it produces against its input with it).
 */
#ifndef CHG_FMT_H
#define CHG_FMT_H

#include "ctx.h"

/* The page width a series, a one-line block or a list is fitted to. */
#define CHG_FMT_WIDTH 100u

/* True when the two lists of items (and everything below them) are the
 * same: kinds, keys, braces, values, series and expressions, with spans,
 * layout and comments aside.  The nodes may come from two contexts. */
bool chg_tree_equal(const chg_node *a, const chg_node *b);

/* True when the comments of two files have the same texts, in order,
 * trailing white space aside. */
bool chg_comments_equal(const chg_file *a, const chg_file *b);

#endif
