-- bench/rich.lua -- a deterministic synthetic portfolio of N projects that
-- uses every block kind the main benchmark (bench/gen.lua) leaves out.
--
--   lua5.4 bench/rich.lua N OUT.chg
--
-- gen.lua measures the common case: programmes, projects, risks, go-live
-- milestones and savings.  This file exercises the rest of the language:
-- benefits with profile and actual series, recommendations (theme, status,
-- outputs, links, due dates), claims over aggregates, rules, posts by staff
-- category, depends_on between programmes, projects and workstreams,
-- workstreams, status criteria, confidence, layers, and go-live milestones
-- with impacts on units.  Units grow with N (N/20, at least 40), and so do
-- recommendation themes (N/50, at least 10) and staff categories (besides
-- the four standard ones, each saving has one grade from a pool of N/4), so
-- per-unit, per-theme and per-category work grows with the portfolio.  The
-- claims are computed from the same figures, so `chg check` finds them all
-- true.  Nothing depends on the clock.

local usage = "usage: rich.lua N OUT.chg"
local n = assert(math.tointeger(tonumber(arg[1])), usage)
local out_path = assert(arg[2], usage)

local format = string.format

-- a small linear congruential generator: the same numbers on every run
local seed = 20221122
local function rand(k)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % k
end

local PER_PROGRAMME = 20
local UNITS = math.max(40, n // 20)
local THEMES = math.max(10, n // 50)
local GRADES = math.max(1, n // 4)

-- a grade's name: eight letters mixed from its number, so that no two are
-- a typo apart (chg would rightly warn of `grade21` beside `grade221`)
local function grade_name(k)
  local h, letters = k * 2654435761 % 4294967296, {}
  for i = 1, 8 do
    h = (h * 1103515245 + 12345) % 2147483648
    letters[i] = string.char(97 + (h >> 16) % 26)
  end
  return "grade_" .. table.concat(letters)
end

local CATEGORIES = {"officers", "staff", "pcsos", "contractors"}
local CRITERIA = {"overall", "schedule", "budget", "resources"}
local RAG = {"red", "amber", "green"}
local DCA = {"red", "amber_red", "amber", "amber_green", "green"}
local LAYERS = {"transformational", "mandate", "experimental", "incremental"}
local REC_STATUS = {"open", "in_progress", "output_produced", "closed"}
local LEVELS = {"high", "medium", "low"}
local TAGS = {"technology", "estates", "people", "frontline", "finance", "data"}
local RISK_CATEGORIES = {"capacity", "schedule", "supplier", "financial", "operational"}

-- one of the entries of list, chosen by the generator
local function pick(list)
  return list[1 + rand(#list)]
end

local function unit_ref()
  return 1 + rand(UNITS)
end

-- pence as a .chg money literal: -123456 -> -£1234.56
local function money(pence)
  local sign = pence < 0 and "-" or ""
  pence = math.abs(pence)
  return format("%s£%d.%02d", sign, pence // 100, pence % 100)
end

-- output goes through a table flushed to the file in chunks
local file = assert(io.open(out_path, "w"))
local buffer, buffered = {}, 0
local function emit(s)
  buffered = buffered + 1
  buffer[buffered] = s
  if buffered >= 8192 then
    file:write(table.concat(buffer, "", 1, buffered))
    buffered = 0
  end
end
local function emitf(fmt, ...)
  emit(format(fmt, ...))
end
local function flush()
  file:write(table.concat(buffer, "", 1, buffered))
  buffered = 0
end

-- running totals for the claims at the end
local totals = {projects = 0, programmes = 0, recs = 0, recs_closed = 0, officers_2324 = 0,
                money_2324 = 0, risks = 0, benefits = 0, workstreams = 0, milestones = 0,
                go_lives = 0, savings = 0}

-- Each block writer passes its lines to the function `put`, indented by
-- `ind`: emit for the blocks written in place, or one that keeps them for
-- later.

local function saving_block(put, ind, id, title, extra)
  local a, b, c = 1 + rand(50), 1 + rand(80), 1 + rand(99)
  local m2324 = -(b * 100000 + 37)
  totals.money_2324 = totals.money_2324 + m2324
  put(format('%ssaving %s "%s" {\n', ind, id, title))
  if extra then
    put(ind .. "  " .. extra .. "\n")
  end
  put(format("%s  money 2022/23: %s, 2023/24: %s, 2024/25: %s\n", ind,
             money(-(a * 100000 + 11)), money(m2324), money(-(c * 100000))))
  for i, category in ipairs(CATEGORIES) do
    -- officers always; each other category two times in three
    if rand(3) ~= 0 or i == 1 then
      local y1, y2 = rand(40), rand(60)
      if category == "officers" then
        totals.officers_2324 = totals.officers_2324 - y2
      end
      put(format("%s  posts %s 2022/23: -%d, 2023/24: -%d, 2024/25: -%d\n", ind, category, y1, y2, rand(9)))
    end
  end
  put(format("%s  posts %s 2023/24: -%d\n%s}\n", ind, grade_name(rand(GRADES)), rand(9), ind))
  totals.savings = totals.savings + 1
end

-- cashable benefits (money by financial year) when kind is even, else
-- societal ones (percentages by quarter)
local function benefit_block(put, ind, id, title, kind)
  put(format('%sbenefit %s "%s" {\n', ind, id, title))
  if kind % 2 == 0 then
    local target = 1 + rand(20)
    local owner = rand(500)
    local due = 1 + rand(12)
    put(format('%s  type cashable\n%s  owner "Benefit owner %d"\n%s  measure "Cash released"\n',
               ind, ind, owner, ind))
    put(format("%s  baseline £0\n%s  target £%dm\n%s  due 2024-%02d-28\n", ind, ind, target, ind, due))
    local p1 = rand(5)
    local p2 = rand(8)
    put(format("%s  profile 2022/23: £%d.5m, 2023/24: £%dm, 2024/25: £%dm\n", ind, p1, p2, target))
    local a1 = rand(5)
    put(format("%s  actual 2022/23: £%d.25m, 2023/24: £%dk\n", ind, a1, rand(900)))
  else
    local baseline = rand(10)
    local target = 50 + rand(40)
    local due = 1 + rand(12)
    put(format('%s  type societal\n%s  measure "Share of cases handled online"\n', ind, ind))
    put(format("%s  baseline %d%%\n%s  target %d%%\n%s  due 2023-%02d-15\n", ind, baseline, ind, target, ind, due))
    local q1 = 10 + rand(5)
    local q2 = 20 + rand(5)
    local q3 = 30 + rand(5)
    put(format("%s  profile 2022-Q3: %d%%, 2022-Q4: %d%%, 2023-Q1: %d%%, 2023-Q2: %d%%\n",
               ind, q1, q2, q3, 40 + rand(5)))
    local a1 = 8 + rand(5)
    put(format("%s  actual 2022-Q3: %d%%, 2022-Q4: %d%%\n", ind, a1, 15 + rand(10)))
  end
  put(ind .. "}\n")
  totals.benefits = totals.benefits + 1
end

local function risk_block(put, ind, id, title)
  local likelihood, impact = 1 + rand(5), 1 + rand(5)
  local owner = rand(300)
  local category = pick(RISK_CATEGORIES)
  local proximity = 1 + rand(12)
  local tag1 = pick(TAGS)
  local tag2 = pick(TAGS)
  put(format('%srisk %s "%s" {\n%s  likelihood %d\n%s  impact %d\n', ind, id, title, ind, likelihood, ind, impact))
  put(format('%s  owner "Risk owner %d"\n%s  category %s\n%s  mitigation "Mitigation in hand"\n',
             ind, owner, ind, category, ind))
  put(format("%s  proximity 2023-%02d-01\n%s  tags [%s, %s]\n%s}\n", ind, proximity, ind, tag1, tag2, ind))
  totals.risks = totals.risks + 1
end

-- a milestone in 2023, forecast up to 17 days late; a go-live one carries
-- an impact on each unit in the list `units` (whose entries are drawn by
-- the caller before the milestone's own figures)
local function milestone_block(put, ind, id, title, go_live, units)
  local month = 1 + rand(12)
  local slip = rand(60)
  local day = 10 + slip % 18
  totals.milestones = totals.milestones + 1
  put(format('%smilestone %s "%s" {\n%s  baseline 2023-%02d-10\n%s  forecast 2023-%02d-%02d\n',
             ind, id, title, ind, month, ind, month, day))
  if rand(3) == 0 and month <= 6 then
    put(format("%s  actual 2023-%02d-%02d\n", ind, month, day))
  end
  put(format("%s  progress %d%%\n", ind, rand(101)))
  if go_live then
    totals.go_lives = totals.go_lives + 1
    put(ind .. "  go_live true\n")
    for _, u in ipairs(units) do
      put(format("%s  impact { unit u%d; level %s; period 2023-%02d }\n", ind, u, pick(LEVELS), month))
    end
  end
  put(ind .. "}\n")
end

-- an overall status always, and each other criterion half the time
local function status_lines(put, ind)
  for _, criterion in ipairs(CRITERIA) do
    if criterion == "overall" or rand(2) ~= 0 then
      put(format('%sstatus %s %s "As reported at the %s board"\n', ind, criterion, pick(RAG), criterion))
    end
  end
end

emit("use std.rag\nuse std.dca\nuse std.risk5x5\nuse std.escalation\nuse std.layers\n" ..
     "use std.recommendations\nuse std.change\n\n")
emit('portfolio synthetic "Synthetic portfolio (extended kinds)" {\n' ..
     '  owner "Portfolio Director"\n  as_of 2023-06-30\n  year_start april\n  currency GBP\n' ..
     "  confidence amber\n  capacity 6\n" ..
     "  requirement 2022/23: £500m, 2023/24: £900m, 2024/25: £1.2bn\n}\n\n")
for u = 1, UNITS do
  emitf('unit u%d "Business unit %d" { capacity %d }\n', u, u, 5 + rand(6))
end

local project_paths = {}     -- "gG.pP" of every project so far, in order
local workstream_paths = {}  -- "gG.pP.wP" likewise
local top_level = {}         -- blocks written after the programmes
local function keep(s)
  top_level[#top_level + 1] = s
end
local programmes = (n + PER_PROGRAMME - 1) // PER_PROGRAMME
local p = 0

for g = 1, programmes do
  totals.programmes = totals.programmes + 1
  emitf('\nprogramme g%d "Programme %d" {\n', g, g)
  local unit = unit_ref()
  emitf('  unit u%d\n  sro "SRO %d"\n  owner "Director %d"\n', unit, g, rand(20))
  emitf("  layer %s\n", pick(LAYERS))
  status_lines(emit, "  ")
  emitf("  confidence %s\n  start 2021-04-01\n  end 2026-03-31\n", pick(DCA))
  emitf("  budget £%dm\n", 10 + rand(400))
  emitf("  tags [%s]\n", pick(TAGS))
  emitf('  rationale "Programme %d rationale"\n', g)
  if g > 1 then
    local on = 1 + rand(g - 1)
    emitf('  depends_on g%d %s "Programme-level dependency"\n', on, pick(LEVELS))
  end
  local iu = unit_ref()
  local level = 1 + rand(2)
  emitf("  impact { unit u%d; level %d; period 2023-Q%d }\n", iu, level, 1 + rand(4))
  benefit_block(emit, "  ", "gb", format("Programme %d benefit", g), rand(2))
  risk_block(emit, "  ", "gr", format("Programme %d risk", g))

  for _ = 1, math.min(PER_PROGRAMME, n - p) do
    p = p + 1
    totals.projects = totals.projects + 1
    local path = format("g%d.p%d", g, p)
    emitf('  project p%d "Project %d" {\n', p, p)
    unit = unit_ref()
    emitf('    unit u%d\n    sro "SRO of project %d"\n    manager "Manager %d"\n', unit, p, rand(1000))
    emitf("    layer %s\n", pick(LAYERS))
    status_lines(emit, "    ")
    emitf("    confidence %s\n", pick(DCA))
    local start_month = 1 + rand(12)
    emitf("    start 2022-%02d-01\n    end 2025-%02d-28\n", start_month, 1 + rand(12))
    emitf("    budget £%d.5m\n", 1 + rand(900))
    local tag1 = pick(TAGS)
    emitf("    tags [%s, %s]\n", tag1, pick(TAGS))

    -- up to two dependencies on earlier projects, and every fifth project
    -- one on an earlier workstream
    if #project_paths > 0 then
      local first
      for _ = 1, 2 do
        local on = project_paths[1 + rand(#project_paths)]
        if on ~= first then
          first = first or on
          emitf('    depends_on %s %s "Needs %s"\n', on, pick(LEVELS), on)
        end
      end
    end
    if #workstream_paths > 0 and p % 5 == 0 then
      local on = workstream_paths[1 + rand(#workstream_paths)]
      emitf('    depends_on %s low "Needs workstream %s"\n', on, on)
    end

    local wu = unit_ref()
    local wstatus = pick(RAG)
    emitf('    workstream w%d "Workstream of project %d" {\n      unit u%d\n' ..
          '      status overall %s "Workstream status"\n      confidence %s\n', p, p, wu, wstatus, pick(DCA))
    milestone_block(emit, "      ", "wm", "Workstream go-live", true, {unit_ref()})
    risk_block(emit, "      ", "wr", format("Workstream risk of %d", p))
    iu = unit_ref()
    level = 1 + rand(3)
    local from = 1 + rand(6)
    emitf("      impact { unit u%d; level %d; period 2023-%02d..2023-%02d }\n", iu, level, from, 7 + rand(6))
    emit("    }\n")
    totals.workstreams = totals.workstreams + 1

    local u1 = unit_ref()
    milestone_block(emit, "    ", "m1", format("Go-live %d", p), true, {u1, unit_ref()})
    milestone_block(emit, "    ", "m2", format("Design complete %d", p), false, {})
    benefit_block(emit, "    ", "b1", format("Cash benefit of %d", p), 0)
    benefit_block(emit, "    ", "b2", format("Service benefit of %d", p), 1)
    saving_block(emit, "    ", "s1", format("Savings line of project %d", p))
    risk_block(emit, "    ", "r1", format("Delivery risk of %d", p))
    risk_block(emit, "    ", "r2", format("Supplier risk of %d", p))
    iu = unit_ref()
    emitf("    impact { unit u%d; level %s; period 2023/24 }\n", iu, pick(LEVELS))
    emit("  }\n")
    local wpath = format("%s.w%d", path, p)
    project_paths[#project_paths + 1] = path
    workstream_paths[#workstream_paths + 1] = wpath

    -- top-level companions: a saving every fifth project (charged to the
    -- project or, every tenth, to its workstream); a benefit, a risk and a
    -- workstream depending on the project every tenth
    if p % 5 == 0 then
      saving_block(keep, "", "ts" .. p, format("Top-level saving for %d", p),
                   "programme " .. (p % 10 ~= 0 and path or wpath))
    end
    if p % 10 == 0 then
      benefit_block(keep, "", "tb" .. p, format("Top-level benefit %d", p), p // 10)
      risk_block(keep, "", "tr" .. p, format("Top-level risk %d", p))
      local wu = unit_ref()
      keep(format(
        'workstream tw%d "Top-level workstream %d" {\n  unit u%d\n  status overall %s\n' ..
        "  depends_on %s medium\n}\n", p, p, wu, pick(RAG), path))
      totals.workstreams = totals.workstreams + 1
    end
  end
  emit("}\n")
end

emit("\n")
emit(table.concat(top_level))

-- one recommendation per project, linked to that project's programme and
-- (after the first) to an earlier recommendation
emit("\n")
for r = 1, n do
  local status = pick(REC_STATUS)
  if status == "closed" then
    totals.recs_closed = totals.recs_closed + 1
  end
  totals.recs = totals.recs + 1
  emitf('recommendation c%d "Recommendation %d" {\n', r, r)
  local theme = rand(THEMES)
  emitf('  number %d\n  theme theme%d\n  owner "Owner %d"\n  status %s\n', r, theme, rand(50), status)
  emitf('  output "Output for recommendation %d"\n', r)
  if rand(2) ~= 0 then
    emitf('  output "Second output %d"\n', r)
  end
  local links = project_paths[r]:match("^[^.]+")
  if r > 1 then
    links = format("%s, c%d", links, 1 + rand(r - 1))
  end
  emitf("  linked [%s]\n", links)
  local year = 22 + rand(3)
  emitf("  due 20%d-%02d-01\n}\n", year, 1 + rand(12))
end

emit([[

rule red_projects "Red projects with weak confidence" {
  on   project
  when status.overall == red and confidence <= amber_red
  flag info "Red and weak confidence"
}

rule slipped_go_live "Slipped go-lives" {
  on       milestone
  when     go_live and slip_days > 30
  escalate programme
}

rule benefit_at_risk "Benefits at risk" {
  on   benefit
  when at_risk and type == cashable
  flag info "Cash benefit at risk"
}

rule old_recs "Overdue recommendations in theme0" {
  on   recommendation
  when overdue and theme == theme0 and status < output_produced
  flag info "Overdue"
}

rule big_saving "Large saving lines" {
  on   saving
  when money[2023/24] <= -£70m or posts.officers[2023/24] < -55
  flag info "Large saving"
}

rule small_unit_ws "Workstreams owned by small units" {
  on   workstream
  when unit.capacity < 6 and status.overall != green
  flag info "Small unit"
}

rule small_units "Small units" {
  on   unit
  when capacity < 6
  flag info "Little capacity"
}

rule heavy_impact "Heavy impacts" {
  on   impact
  when level >= 3 and 2023-06 in period
  flag info "Heavy impact in June"
}

rule many_go_lives "Programmes with many go-lives" {
  on   programme
  when count(milestone where go_live) >= 2 and sum(saving.money[2023/24]) < -£1m
  flag info "Several go-lives"
}

rule risky_projects "Projects with many risks" {
  on   project
  when count(risk where score >= 12) >= 2
  flag warning "Two high risks"
}

rule critical_risk "Critical risks" {
  on       risk
  when     score >= 20 and technology in tags
  escalate board
}
]])

-- the claims, with the totals substituted for ${name}
local claims = [[

claim n_projects "Project count" {
  expect count(project) == ${projects} and count(programme) == ${programmes}
  source "Generator"
}

claim n_recs "Recommendation count and closures" {
  expect count(recommendation) == ${recs} and count(recommendation where status == closed) == ${recs_closed}
}

claim posts_total "Officer posts, 2023/24" {
  expect sum(saving.posts.officers[2023/24]) == ${officers_2324}
}

claim money_total "Savings, 2023/24" {
  expect sum(saving.money[2023/24]) == ${money_2324}
}

claim share_closed "Some recommendations closed" {
  expect pct(recommendation where status == closed) > 0% and pct(recommendation where status == closed) < 100%
}

claim risk_stats "Risk statistics" {
  expect max(risk.score) <= 25 and avg(risk.score) > 1 and count(risk) == ${risks} and any(risk where score >= 20)
}

claim progress_ok "Progress in range" {
  expect all(milestone where progress <= 100%) and count(milestone where go_live) == ${go_lives}
}

claim every_programme_risky "Every programme has risks" {
  expect count(programme where count(risk) > 0) == ${programmes}
}

claim benefits "Benefits counted" {
  expect count(benefit) == ${benefits} and count(benefit where at_risk) >= 0 and max(benefit.due) >= 2023-01-01
}

claim workload "Change load in June 2023" {
  expect sum(impact.level where 2023-06 in period) > 0 and count(workstream) == ${workstreams}
}

claim overdue "Overdue work is counted" {
  expect count(project where overdue) >= 0 and count(recommendation where overdue) >= 0 and min(project.slip_days) >= 0
}

claim portfolio_status "Portfolio as of" {
  expect as_of == 2023-06-30 and requirement[2023/24] == £900m and status.overall <= green
}
]]
emit((claims:gsub("%${([%w_]+)}", function(name)
  local value = assert(totals[name], name)
  return name == "money_2324" and money(value) or tostring(value)
end)))

flush()
file:close()
