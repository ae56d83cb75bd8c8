/*
 * fields.h -- the fields an expression may read from each kind of entity.
 * The checker types expressions with this table; the evaluator computes
 * each field by its id.
 *
 * X(ID, "name", kinds, type, elem, scale)
 */
#define W CHG_KM_WORK
#define ALL_IDS (W | CHG_KM(CHG_K_MILESTONE) | CHG_KM(CHG_K_BENEFIT) |      \
                 CHG_KM(CHG_K_SAVING) | CHG_KM(CHG_K_RISK) |                \
                 CHG_KM(CHG_K_RECOMMENDATION) | CHG_KM(CHG_K_UNIT) |        \
                 CHG_KM(CHG_K_IMPACT) | CHG_KM(CHG_K_PORTFOLIO))
X(ID, "id", ALL_IDS, CHG_T_STRING, 0, NULL)
X(TITLE, "title", ALL_IDS, CHG_T_STRING, 0, NULL)
/* programmes, projects, workstreams */
X(UNIT, "unit", W | CHG_KM(CHG_K_IMPACT), CHG_T_ENTITY, CHG_K_UNIT, NULL)
X(SRO, "sro", W, CHG_T_STRING, 0, NULL)
X(MANAGER, "manager", W, CHG_T_STRING, 0, NULL)
X(LAYER, "layer", W, CHG_T_LEVEL, 0, "layers")
X(RATIONALE, "rationale", W, CHG_T_STRING, 0, NULL)
/* the portfolio's: the worst of its top-level work's (the summary's
 * "Overall status (worst programme)") */
X(STATUS_RAG, "status", W | CHG_KM(CHG_K_PORTFOLIO), CHG_T_LEVEL, 0, "rag")
X(CONFIDENCE, "confidence", W | CHG_KM(CHG_K_PORTFOLIO), CHG_T_LEVEL, 0, "dca")
X(START, "start", W, CHG_T_DATE, 0, NULL)
X(END, "end", W, CHG_T_DATE, 0, NULL)
X(BUDGET, "budget", W, CHG_T_MONEY, 0, NULL)
X(TAGS, "tags", W | CHG_KM(CHG_K_RISK), CHG_T_LIST, CHG_T_SYMBOL, NULL)
X(SLIP_DAYS, "slip_days", W | CHG_KM(CHG_K_MILESTONE) | CHG_KM(CHG_K_BENEFIT),
  CHG_T_NUMBER, 0, NULL)
X(OVERDUE, "overdue", W | CHG_KM(CHG_K_MILESTONE) | CHG_KM(CHG_K_RECOMMENDATION),
  CHG_T_BOOL, 0, NULL)
X(PROGRAMME, "programme", CHG_KM(CHG_K_PROJECT) | CHG_KM(CHG_K_WORKSTREAM) |
  CHG_KM(CHG_K_MILESTONE) | CHG_KM(CHG_K_BENEFIT) | CHG_KM(CHG_K_SAVING) |
  CHG_KM(CHG_K_RISK) | CHG_KM(CHG_K_IMPACT), CHG_T_ENTITY, CHG_K_PROGRAMME, NULL)
/* milestones */
X(BASELINE_DATE, "baseline", CHG_KM(CHG_K_MILESTONE), CHG_T_DATE, 0, NULL)
X(FORECAST, "forecast", CHG_KM(CHG_K_MILESTONE), CHG_T_DATE, 0, NULL)
X(ACTUAL_DATE, "actual", CHG_KM(CHG_K_MILESTONE), CHG_T_DATE, 0, NULL)
X(PROGRESS, "progress", CHG_KM(CHG_K_MILESTONE), CHG_T_PERCENT, 0, NULL)
X(GO_LIVE, "go_live", CHG_KM(CHG_K_MILESTONE), CHG_T_BOOL, 0, NULL)
X(DONE, "done", CHG_KM(CHG_K_MILESTONE), CHG_T_BOOL, 0, NULL)
/* benefits */
X(BENEFIT_TYPE, "type", CHG_KM(CHG_K_BENEFIT), CHG_T_SYMBOL, 0, NULL)
X(OWNER, "owner", W | CHG_KM(CHG_K_BENEFIT) | CHG_KM(CHG_K_RISK) |
  CHG_KM(CHG_K_RECOMMENDATION) | CHG_KM(CHG_K_PORTFOLIO), CHG_T_STRING, 0, NULL)
X(MEASURE, "measure", CHG_KM(CHG_K_BENEFIT), CHG_T_STRING, 0, NULL)
X(BASELINE_VALUE, "baseline", CHG_KM(CHG_K_BENEFIT), CHG_T_QUANTITY, 0, NULL)
X(TARGET, "target", CHG_KM(CHG_K_BENEFIT), CHG_T_QUANTITY, 0, NULL)
X(DUE, "due", CHG_KM(CHG_K_BENEFIT) | CHG_KM(CHG_K_RECOMMENDATION), CHG_T_DATE, 0, NULL)
X(PROFILE, "profile", CHG_KM(CHG_K_BENEFIT), CHG_T_SERIES, CHG_T_QUANTITY, NULL)
X(ACTUAL_SERIES, "actual", CHG_KM(CHG_K_BENEFIT), CHG_T_SERIES, CHG_T_QUANTITY, NULL)
X(REALISED, "realised", CHG_KM(CHG_K_BENEFIT), CHG_T_BOOL, 0, NULL)
X(REALISED_VALUE, "realised_value", CHG_KM(CHG_K_BENEFIT), CHG_T_QUANTITY, 0, NULL)
/* the plan to date, and how far short of it (the benefits report's
 * "Planned to date" and "Behind plan") */
X(PLANNED, "planned", CHG_KM(CHG_K_BENEFIT), CHG_T_QUANTITY, 0, NULL)
X(SHORTFALL, "shortfall", CHG_KM(CHG_K_BENEFIT), CHG_T_QUANTITY, 0, NULL)
X(AT_RISK, "at_risk", CHG_KM(CHG_K_BENEFIT), CHG_T_BOOL, 0, NULL)
/* savings */
X(MONEY, "money", CHG_KM(CHG_K_SAVING), CHG_T_SERIES, CHG_T_MONEY, NULL)
X(POSTS, "posts", CHG_KM(CHG_K_SAVING), CHG_T_SERIES, CHG_T_NUMBER, NULL)
/* risks */
X(LIKELIHOOD, "likelihood", CHG_KM(CHG_K_RISK), CHG_T_NUMBER, 0, NULL)
X(RISK_IMPACT, "impact", CHG_KM(CHG_K_RISK), CHG_T_NUMBER, 0, NULL)
X(SCORE, "score", CHG_KM(CHG_K_RISK), CHG_T_NUMBER, 0, NULL)
X(BAND, "band", CHG_KM(CHG_K_RISK), CHG_T_LEVEL, 0, "risk_band")
/* what rules and hooks decided: the most senior level any gave it, read
 * by claims only (rules decide it, in an order no condition should
 * depend on: check_expr.c) */
X(ESCALATION, "escalation", W | CHG_KM(CHG_K_MILESTONE) | CHG_KM(CHG_K_BENEFIT) |
  CHG_KM(CHG_K_SAVING) | CHG_KM(CHG_K_RISK) | CHG_KM(CHG_K_IMPACT) |
  CHG_KM(CHG_K_RECOMMENDATION) | CHG_KM(CHG_K_UNIT) | CHG_KM(CHG_K_PORTFOLIO),
  CHG_T_LEVEL, 0, "escalation")
X(CATEGORY, "category", CHG_KM(CHG_K_RISK), CHG_T_SYMBOL, 0, NULL)
X(PROXIMITY, "proximity", CHG_KM(CHG_K_RISK), CHG_T_DATE, 0, NULL)
X(MITIGATION, "mitigation", CHG_KM(CHG_K_RISK), CHG_T_STRING, 0, NULL)
/* impacts */
X(LOAD, "level", CHG_KM(CHG_K_IMPACT), CHG_T_NUMBER, 0, NULL)
X(PERIOD, "period", CHG_KM(CHG_K_IMPACT), CHG_T_PERIOD, 0, NULL)
/* recommendations */
X(NUMBER, "number", CHG_KM(CHG_K_RECOMMENDATION), CHG_T_NUMBER, 0, NULL)
X(THEME, "theme", CHG_KM(CHG_K_RECOMMENDATION), CHG_T_SYMBOL, 0, NULL)
X(REC_STATUS, "status", CHG_KM(CHG_K_RECOMMENDATION), CHG_T_LEVEL, 0,
  "recommendation_status")
X(OUTPUTS, "outputs", CHG_KM(CHG_K_RECOMMENDATION), CHG_T_NUMBER, 0, NULL)
/* units and the portfolio */
X(CAPACITY, "capacity", CHG_KM(CHG_K_UNIT) | CHG_KM(CHG_K_PORTFOLIO), CHG_T_NUMBER, 0, NULL)
/* the reporting date, read from wherever a rule stands (`proximity - as_of
 * < 60` on a risk), so that a portfolio without an id can be asked it */
X(AS_OF, "as_of", ALL_IDS, CHG_T_DATE, 0, NULL)
X(CURRENCY, "currency", CHG_KM(CHG_K_PORTFOLIO), CHG_T_SYMBOL, 0, NULL)
X(REQUIREMENT, "requirement", CHG_KM(CHG_K_PORTFOLIO), CHG_T_SERIES, CHG_T_MONEY, NULL)
#undef W
#undef ALL_IDS
