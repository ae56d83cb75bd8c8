/*
 * diag_codes.h -- every diagnostic code chg can print.  Codes are stable:
 * a code is never reused for another meaning.  docs/diagnostics.md
 * documents each one, and a test checks that it does.
 *
 * X(name, "CHGnnnn", "short title")
 */
/* lexical */
X(BAD_UTF8, "CHG0101", "invalid UTF-8")
X(NUL_BYTE, "CHG0102", "NUL byte in source")
X(BAD_CHAR, "CHG0103", "unexpected character")
X(UNTERMINATED_STRING, "CHG0104", "unterminated string")
X(BAD_ESCAPE, "CHG0105", "invalid escape in string")
X(UNTERMINATED_LONG_STRING, "CHG0106", "unterminated long string")
X(NUMBER_RANGE, "CHG0107", "number cannot be held exactly")
X(BAD_MONEY, "CHG0108", "invalid amount of money")
X(BAD_DATE, "CHG0109", "invalid date")
X(BAD_PERIOD, "CHG0110", "invalid month or quarter")
X(BAD_FY, "CHG0111", "invalid financial year")
X(BAD_NUMBER, "CHG0112", "malformed number")
/* syntax */
X(SYNTAX, "CHG0201", "syntax error")
X(UNCLOSED_BLOCK, "CHG0202", "block not closed")
X(UNMATCHED_CLOSE, "CHG0203", "unmatched closing brace")
X(TOO_DEEP, "CHG0204", "nesting too deep")
X(TOO_MANY_ERRORS, "CHG0205", "too many errors")
X(BAD_RANGE, "CHG0206", "invalid range")
X(BAD_SERIES, "CHG0207", "invalid series")
X(FILE_TOO_LARGE, "CHG0208", "source file too large")
X(TOO_MANY, "CHG0209", "too many items")
/* schema */
X(UNKNOWN_ATTRIBUTE, "CHG0301", "unknown attribute")
X(UNKNOWN_KIND, "CHG0302", "unknown block kind")
X(MISPLACED_BLOCK, "CHG0303", "block not allowed here")
X(MISSING_ATTRIBUTE, "CHG0304", "required attribute missing")
X(REPEATED_ATTRIBUTE, "CHG0305", "attribute given more than once")
X(BAD_VALUE, "CHG0306", "value of the wrong type")
X(BAD_HEAD, "CHG0307", "malformed block head")
X(OUT_OF_RANGE, "CHG0308", "value out of range")
X(PORTFOLIO_COUNT, "CHG0309", "no portfolio, or more than one")
X(TOP_LEVEL_ATTRIBUTE, "CHG0310", "attribute at the top level")
X(INCONSISTENT_DATES, "CHG0311", "dates out of order")
/* resolution */
X(MODULE_NOT_FOUND, "CHG0401", "module not found")
X(INCLUDE_NOT_FOUND, "CHG0402", "included file not found")
X(INCLUDE_CYCLE, "CHG0403", "include cycle")
X(UNKNOWN_REFERENCE, "CHG0404", "unknown reference")
X(DUPLICATE_ID, "CHG0405", "duplicate id")
X(DEPENDENCY_CYCLE, "CHG0406", "dependency cycle")
X(UNKNOWN_LEVEL, "CHG0407", "unknown level")
X(SCALE_NOT_IN_SCOPE, "CHG0408", "scale not in scope")
X(WRONG_KIND_REFERENCE, "CHG0409", "reference to the wrong kind of block")
X(INCLUDE_TOO_DEEP, "CHG0410", "includes nested too deep")
X(IO, "CHG0411", "cannot read file")
X(HOOK_NOT_FOUND, "CHG0412", "hook file not found")
/* expressions */
X(TYPE_MISMATCH, "CHG0501", "type mismatch")
X(UNKNOWN_FIELD, "CHG0502", "unknown field")
X(BAD_CALL, "CHG0503", "unknown function or wrong arguments")
X(SCALE_MISMATCH, "CHG0504", "levels of different scales")
X(NOT_BOOLEAN, "CHG0505", "condition is not true or false")
X(DIVISION_BY_ZERO, "CHG0506", "division by zero")
/* evaluation */
X(FALSE_CLAIM, "CHG0601", "claim is false")
X(EVAL_FAILED, "CHG0602", "cannot evaluate")
/* Lua hooks */
X(HOOK_SYNTAX, "CHG0701", "hook does not compile")
X(HOOK_ERROR, "CHG0702", "hook failed")
X(HOOK_INSTRUCTIONS, "CHG0703", "hook ran too long")
X(HOOK_MEMORY, "CHG0704", "hook used too much memory")
X(HOOK_LOG, "CHG0705", "hook log")
/* tools */
X(FORMAT, "CHG0801", "file cannot be formatted")
X(NOT_FORMATTED, "CHG0802", "file not formatted")
