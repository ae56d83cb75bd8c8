/*
 * schema.c -- the tables of block kinds and their attributes.  The
 * language manual (docs/language.md) describes the same tables in prose.
 */
#include "schema.h"

#include <string.h>

#define P(t, w) {CHG_P_##t, false, w, NULL, 0}
#define P_OPT(t, w) {CHG_P_##t, true, w, NULL, 0}
#define P_LEVEL(scale, w) {CHG_P_LEVEL, false, w, scale, 0}
#define P_SCORE(scale, w) {CHG_P_SCORE, false, w, scale, 0}
#define P_LOAD(scale, w) {CHG_P_LOAD, false, w, scale, 0}
#define P_WORD(words, w) {CHG_P_WORD, false, w, words, 0}
#define P_REF(kinds, w) {CHG_P_REF, false, w, NULL, kinds}
#define P_REFS(kinds, w) {CHG_P_REF_LIST, false, w, NULL, kinds}

#define ONE(key, p, flags, doc) {key, {p}, 1, CHG_S_NONE, flags, doc}
#define SERIES(key, s, flags, doc) {key, {{0}}, 0, s, (flags) | CHG_A_SERIES_ONLY, doc}

static const chg_attr_spec portfolio_attrs[] = {
    ONE("owner", P(STRING, "owner"), 0, "who owns the portfolio"),
    ONE("as_of", P(DATE, "reporting date"), CHG_A_REQUIRED,
        "the reporting date: what is overdue or slipped is judged against it"),
    ONE("year_start", P(MONTH_NAME, "month"), 0,
        "the month the financial year starts in (default april)"),
    ONE("currency", P(NAME, "currency"), 0, "the currency of money figures"),
    ONE("confidence", P_LEVEL("dca", "delivery confidence"), 0,
        "the portfolio's delivery confidence"),
    ONE("capacity", P(NUMBER, "capacity"), 0,
        "the change load a unit absorbs per month, unless it says otherwise"),
    SERIES("requirement", CHG_S_MONEY, 0, "savings the budget needs, per year"),
};

static const chg_attr_spec scale_attrs[] = {
    {"level",
     {P(NAME, "level"), P_OPT(STRING, "label"), P_OPT(STRING, "definition")},
     3, CHG_S_NONE, CHG_A_REQUIRED | CHG_A_REPEATABLE,
     "a level, from worst to best"},
    {"threshold", {P(NAME, "level"), P(NUMBER, "lowest score")}, 2, CHG_S_NONE,
     CHG_A_REPEATABLE | CHG_A_KEYED, "the lowest score that falls in a level (risk bands)"},
};

static const chg_attr_spec unit_attrs[] = {
    ONE("capacity", P(NUMBER, "capacity"), 0,
        "the change load this unit absorbs per month"),
};

static const chg_attr_spec work_attrs[] = {
    ONE("unit", P_REF(CHG_KM(CHG_K_UNIT), "unit"), 0, "the owning unit"),
    ONE("sro", P(STRING, "senior responsible owner"), 0,
        "the senior responsible owner"),
    ONE("manager", P(STRING, "manager"), 0, "the programme or project manager"),
    ONE("owner", P(STRING, "owner"), 0, "who owns the work, where that is not the SRO"),
    ONE("layer", P_LEVEL("layers", "layer"), 0, "the layer of change"),
    {"status",
     {P(NAME, "criterion"), P_LEVEL("rag", "status"), P_OPT(STRING, "rationale")},
     3, CHG_S_NONE, CHG_A_REPEATABLE | CHG_A_KEYED, "status against one criterion"},
    ONE("confidence", P_LEVEL("dca", "delivery confidence"), 0,
        "the delivery confidence assessment"),
    ONE("start", P(DATE, "start date"), 0, "when the work starts"),
    ONE("end", P(DATE, "end date"), 0, "when the work ends"),
    ONE("budget", P(MONEY, "budget"), 0, "the whole-life budget"),
    ONE("tags", P(NAME_LIST, "tags"), 0, "free tags"),
    ONE("rationale", P(STRING, "rationale"), 0, "why the work exists"),
    {"depends_on",
     {P_REF(CHG_KM_WORK, "dependency"), P_WORD("high|medium|low", "importance"),
      P_OPT(STRING, "reason")},
     3, CHG_S_NONE, CHG_A_REPEATABLE | CHG_A_KEYED, "a dependency on other work"},
};

static const chg_attr_spec milestone_attrs[] = {
    ONE("baseline", P(DATE, "baseline date"), 0, "the date agreed at baseline"),
    ONE("forecast", P(DATE, "forecast date"), 0, "the date now forecast"),
    ONE("actual", P(DATE, "actual date"), 0, "the date it was met"),
    ONE("progress", P(PERCENT, "progress"), 0, "how far it has got, 0-100%"),
    ONE("go_live", P(BOOL, "go-live flag"), 0,
        "whether the milestone puts change live on the units it impacts"),
};

static const chg_attr_spec benefit_attrs[] = {
    ONE("type", P_WORD("cashable|non_cashable|societal", "benefit type"), 0,
        "cashable, non_cashable or societal"),
    ONE("owner", P(STRING, "owner"), 0, "the benefit owner"),
    ONE("measure", P(STRING, "measure"), 0, "how the benefit is measured"),
    ONE("baseline", P(QUANTITY, "baseline"), 0, "the value before the change"),
    ONE("target", P(QUANTITY, "target"), 0, "the value to reach"),
    ONE("due", P(DATE, "due date"), 0, "when the target is due"),
    SERIES("profile", CHG_S_QUANTITY, 0, "the planned realisation by period"),
    SERIES("actual", CHG_S_QUANTITY, 0, "what was realised by period"),
};

static const chg_attr_spec saving_attrs[] = {
    SERIES("money", CHG_S_MONEY, 0,
           "change in spend by year (negative is a saving)"),
    {"posts", {P(NAME, "staff category")}, 1, CHG_S_NUMBER,
     CHG_A_REPEATABLE | CHG_A_KEYED, "change in posts of one staff category by year"},
    ONE("programme", P_REF(CHG_KM_WORK, "programme"), CHG_A_TOP_ONLY,
        "the programme the saving belongs to, when written at the top level"),
};

static const chg_attr_spec risk_attrs[] = {
    ONE("likelihood", P_SCORE("likelihood", "likelihood"), 0,
        "1-5, or a level of the likelihood scale"),
    ONE("impact", P_SCORE("impact", "impact"), 0,
        "1-5, or a level of the impact scale"),
    ONE("owner", P(STRING, "owner"), 0, "the risk owner"),
    ONE("category", P(NAME, "category"), 0, "the risk category"),
    ONE("mitigation", P(STRING, "mitigation"), 0, "what is being done"),
    ONE("proximity", P(DATE, "proximity"), 0, "when the risk would bite"),
    ONE("tags", P(NAME_LIST, "tags"), 0, "free tags"),
};

static const chg_attr_spec impact_attrs[] = {
    ONE("unit", P_REF(CHG_KM(CHG_K_UNIT), "unit"), CHG_A_REQUIRED,
        "the unit that absorbs the change"),
    ONE("level", P_LOAD("change_impact", "impact level"), CHG_A_REQUIRED,
        "the load: a number, or a level of the change_impact scale"),
    ONE("period", P(PERIOD, "period"), CHG_A_REQUIRED,
        "the month or range of months the load falls in"),
};

static const chg_attr_spec recommendation_attrs[] = {
    ONE("number", P(ORDINAL, "number"), 0, "the recommendation's number"),
    ONE("theme", P(NAME, "theme"), 0, "the theme it belongs to"),
    ONE("owner", P(STRING, "owner"), 0, "who owns it"),
    ONE("status", P_LEVEL("recommendation_status", "status"), 0,
        "how far it has got"),
    ONE("output", P(STRING, "output"), CHG_A_REPEATABLE, "an output produced"),
    ONE("linked", P_REFS(CHG_KM_ANY, "linked blocks"), 0,
        "the programmes or recommendations it is linked to"),
    ONE("due", P(DATE, "due date"), 0, "when it is due"),
};

static const chg_attr_spec rule_attrs[] = {
    ONE("on", P(KIND, "kind"), CHG_A_REQUIRED, "the kind of entity it applies to"),
    ONE("when", P(STRING, "condition"), CHG_A_REQUIRED | CHG_A_EXPR,
        "the condition, an expression"),
    ONE("escalate", P_LEVEL("escalation", "escalation level"), 0,
        "the level to escalate to"),
    {"flag", {P_WORD("error|warning|info", "severity"), P(STRING, "message")},
     2, CHG_S_NONE, 0, "a flag to raise: severity and message"},
};

static const chg_attr_spec claim_attrs[] = {
    ONE("expect", P(STRING, "expectation"), CHG_A_REQUIRED | CHG_A_EXPR,
        "what the claim says, an expression that must be true"),
    ONE("source", P(STRING, "source"), 0, "where the claim was made"),
};

#define N(a) a, sizeof a / sizeof a[0]

static const chg_kind_spec kinds[CHG_K__COUNT] = {
    {CHG_K_PORTFOLIO, "portfolio", CHG_KM_TOP, CHG_HEAD_OPTIONAL_ID,
     N(portfolio_attrs), "the portfolio itself; exactly one"},
    {CHG_K_SCALE, "scale", CHG_KM_TOP, CHG_HEAD_ID, N(scale_attrs),
     "an ordered scale of levels"},
    {CHG_K_UNIT, "unit", CHG_KM_TOP, CHG_HEAD_ID, N(unit_attrs),
     "a business group or area"},
    {CHG_K_PROGRAMME, "programme", CHG_KM_TOP, CHG_HEAD_ID, N(work_attrs),
     "a programme of change"},
    {CHG_K_PROJECT, "project", CHG_KM_TOP | CHG_KM(CHG_K_PROGRAMME),
     CHG_HEAD_ID, N(work_attrs), "a project"},
    {CHG_K_WORKSTREAM, "workstream",
     CHG_KM_TOP | CHG_KM(CHG_K_PROGRAMME) | CHG_KM(CHG_K_PROJECT), CHG_HEAD_ID,
     N(work_attrs), "a workstream"},
    {CHG_K_MILESTONE, "milestone", CHG_KM_WORK, CHG_HEAD_OPTIONAL_ID,
     N(milestone_attrs), "a milestone"},
    {CHG_K_BENEFIT, "benefit",
     CHG_KM_TOP | CHG_KM(CHG_K_PROGRAMME) | CHG_KM(CHG_K_PROJECT), CHG_HEAD_OPTIONAL_ID,
     N(benefit_attrs), "a benefit"},
    {CHG_K_SAVING, "saving",
     CHG_KM_TOP | CHG_KM(CHG_K_PROGRAMME) | CHG_KM(CHG_K_PROJECT), CHG_HEAD_OPTIONAL_ID,
     N(saving_attrs), "a line of savings"},
    {CHG_K_RISK, "risk", CHG_KM_TOP | CHG_KM_WORK, CHG_HEAD_OPTIONAL_ID, N(risk_attrs),
     "a risk"},
    {CHG_K_IMPACT, "impact", CHG_KM_WORK | CHG_KM(CHG_K_MILESTONE),
     CHG_HEAD_OPTIONAL_ID, N(impact_attrs),
     "change load that a unit absorbs over a period"},
    {CHG_K_RECOMMENDATION, "recommendation", CHG_KM_TOP, CHG_HEAD_OPTIONAL_ID,
     N(recommendation_attrs), "a recommendation accepted"},
    {CHG_K_RULE, "rule", CHG_KM_TOP, CHG_HEAD_OPTIONAL_ID, N(rule_attrs),
     "a declarative escalation or flagging rule"},
    {CHG_K_CLAIM, "claim", CHG_KM_TOP, CHG_HEAD_OPTIONAL_ID, N(claim_attrs),
     "a claim made in a board paper, checked against the figures"},
    {CHG_K_HOOK, "hook", CHG_KM_TOP, CHG_HEAD_TITLE_ONLY, NULL, 0,
     "a Lua file of escalation rules"},
};

const chg_kind_spec *chg_schema_kind(chg_kind_id id) { return &kinds[id]; }

const chg_kind_spec *chg_schema_find_kind(const char *name) {
  for (int i = 0; i < CHG_K__COUNT; i++)
    if (strcmp(kinds[i].name, name) == 0) return &kinds[i];
  return NULL;
}

const chg_attr_spec *chg_schema_find_attr(const chg_kind_spec *k,
                                          const char *key) {
  for (size_t i = 0; i < k->nattrs; i++)
    if (strcmp(k->attrs[i].key, key) == 0) return &k->attrs[i];
  return NULL;
}

bool chg_schema_is_attribute(const char *key) {
  for (int k = 0; k < CHG_K__COUNT; k++)
    if (chg_schema_find_attr(chg_schema_kind((chg_kind_id)k), key)) return true;
  return false;
}

int chg_schema_key_text_at(const char *key) {
  for (int k = 0; k < CHG_K__COUNT; k++) {
    const chg_attr_spec *a = chg_schema_find_attr(chg_schema_kind((chg_kind_id)k), key);
    if (a && a->nparams && a->params[a->nparams - 1].type == CHG_P_STRING &&
        a->series == CHG_S_NONE && !(a->flags & CHG_A_EXPR)) /* `when`: a condition */
      return (int)a->nparams - 1;
  }
  return -1;
}

bool chg_schema_key_takes_money(const char *key) {
  for (int k = 0; k < CHG_K__COUNT; k++) {
    const chg_attr_spec *a = chg_schema_find_attr(chg_schema_kind((chg_kind_id)k), key);
    if (a && ((a->nparams && a->params[0].type == CHG_P_MONEY) || a->series == CHG_S_MONEY))
      return true;
  }
  return false;
}

static const struct {
  const char *scale, *module;
} scale_modules[] = {
    {"rag", "std.rag"},
    {"dca", "std.dca"},
    {"likelihood", "std.risk5x5"},
    {"impact", "std.risk5x5"},
    {"risk_band", "std.risk5x5"},
    {"layers", "std.layers"},
    {"escalation", "std.escalation"},
    {"recommendation_status", "std.recommendations"},
    {"change_impact", "std.change"},
};

/* The i-th scale a standard module defines, or NULL past the last. */
const char *chg_schema_standard_scale(size_t i) {
  return i < sizeof scale_modules / sizeof scale_modules[0] ? scale_modules[i].scale : NULL;
}

const char *chg_schema_scale_module(const char *scale) {
  for (size_t i = 0; i < sizeof scale_modules / sizeof scale_modules[0]; i++)
    if (strcmp(scale_modules[i].scale, scale) == 0)
      return scale_modules[i].module;
  return NULL;
}
