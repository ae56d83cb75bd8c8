-- bench/gen.lua -- a deterministic synthetic portfolio of N projects,
-- written three ways: as .chg, as a Lua table constructor and as JSON.
--
--   lua5.4 bench/gen.lua N OUT_PREFIX     -> OUT.chg, OUT.lua, OUT.json
--
-- 20 projects per programme, 40 units, and each project with 3 risks,
-- 2 milestones with an impact each, and a saving over three years.  The
-- same figures go into all three files; nothing depends on the clock.

local n = assert(tonumber(arg[1]), "usage: gen.lua N OUT_PREFIX [PROJECTS_PER_PROGRAMME]")
local prefix = assert(arg[2], "usage: gen.lua N OUT_PREFIX [PROJECTS_PER_PROGRAMME]")

-- a small linear congruential generator: the same numbers on every run
local seed = 20221122
local function rand(k)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % k
end

local UNITS, PER_PROGRAMME = 40, tonumber(arg[3]) or 20
local rag = {"red", "amber", "green"}
local dca = {"red", "amber_red", "amber", "amber_green", "green"}

local chg = assert(io.open(prefix .. ".chg", "w"))
local lua = assert(io.open(prefix .. ".lua", "w"))
local json = assert(io.open(prefix .. ".json", "w"))

chg:write("use std.rag\nuse std.dca\nuse std.risk5x5\nuse std.escalation\n\n")
chg:write('portfolio synthetic "Synthetic portfolio" {\n  as_of 2023-06-30\n',
          "  requirement 2022/23: £500m, 2023/24: £900m, 2024/25: £1.2bn\n}\n\n")
lua:write("return {\n  portfolio = {id = \"synthetic\", title = \"Synthetic portfolio\", as_of = \"2023-06-30\",\n",
          "    requirement = {[\"2022/23\"] = 50000000000, [\"2023/24\"] = 90000000000, [\"2024/25\"] = 120000000000}},\n",
          "  units = {\n")
json:write('{"portfolio": {"id": "synthetic", "title": "Synthetic portfolio", "as_of": "2023-06-30",\n',
           ' "requirement": {"2022/23": 50000000000, "2023/24": 90000000000, "2024/25": 120000000000}},\n',
           ' "units": [\n')

for u = 1, UNITS do
  local cap = 4 + rand(4)
  chg:write(string.format('unit u%d "Business unit %d" { capacity %d }\n', u, u, cap))
  lua:write(string.format('    {id = "u%d", title = "Business unit %d", capacity = %d},\n', u, u, cap))
  json:write(string.format('  {"id": "u%d", "title": "Business unit %d", "capacity": %d}%s\n', u, u, cap,
                           u < UNITS and "," or ""))
end
lua:write("  },\n  programmes = {\n")
json:write(' ],\n "programmes": [\n')

local programmes = (n + PER_PROGRAMME - 1) // PER_PROGRAMME
local project = 0
for g = 1, programmes do
  local unit = 1 + rand(UNITS)
  local status, conf = rag[1 + rand(3)], dca[1 + rand(5)]
  chg:write(string.format('\nprogramme g%d "Programme %d" {\n  unit u%d\n  sro "Senior Responsible Owner %d"\n',
                          g, g, unit, g),
            string.format('  status overall %s "Reported at the last board"\n  confidence %s\n', status, conf))
  lua:write(string.format('    {id = "g%d", title = "Programme %d", unit = "u%d", sro = "Senior Responsible Owner %d",\n',
                          g, g, unit, g),
            string.format('     status = {{"overall", "%s", "Reported at the last board"}}, confidence = "%s",\n', status, conf),
            "     projects = {\n")
  json:write(string.format('  {"id": "g%d", "title": "Programme %d", "unit": "u%d", "sro": "Senior Responsible Owner %d",\n',
                           g, g, unit, g),
             string.format('   "status": [["overall", "%s", "Reported at the last board"]], "confidence": "%s",\n', status, conf),
             '   "projects": [\n')
  local last = math.min(PER_PROGRAMME, n - project)
  for k = 1, last do
    project = project + 1
    local p = project
    local budget = 1 + rand(900)
    local pu = 1 + rand(UNITS)
    local pstatus = rag[1 + rand(3)]
    chg:write(string.format('  project p%d "Project %d" {\n    unit u%d\n    status overall %s "As reported"\n',
                            p, p, pu, pstatus),
              string.format("    budget £%d.5m\n    start 2021-04-01\n    end 2025-03-31\n", budget))
    lua:write(string.format('      {id = "p%d", title = "Project %d", unit = "u%d", status = {{"overall", "%s", "As reported"}},\n',
                            p, p, pu, pstatus),
              string.format('       budget = %d, start = "2021-04-01", ["end"] = "2025-03-31",\n', budget * 100000000 + 50000000),
              "       risks = {\n")
    json:write(string.format('    {"id": "p%d", "title": "Project %d", "unit": "u%d", "status": [["overall", "%s", "As reported"]],\n',
                             p, p, pu, pstatus),
               string.format('     "budget": %d, "start": "2021-04-01", "end": "2025-03-31",\n', budget * 100000000 + 50000000),
               '     "risks": [\n')
    for r = 1, 3 do
      local l, i = 1 + rand(5), 1 + rand(5)
      chg:write(string.format('    risk r%d "Risk %d of project %d" { likelihood %d; impact %d; owner "Risk owner" }\n',
                              r, r, p, l, i))
      lua:write(string.format('        {id = "r%d", title = "Risk %d of project %d", likelihood = %d, impact = %d, owner = "Risk owner"},\n',
                              r, r, p, l, i))
      json:write(string.format('      {"id": "r%d", "title": "Risk %d of project %d", "likelihood": %d, "impact": %d, "owner": "Risk owner"}%s\n',
                               r, r, p, l, i, r < 3 and "," or ""))
    end
    lua:write("       },\n       milestones = {\n")
    json:write('     ],\n     "milestones": [\n')
    for m = 1, 2 do
      local month = 1 + rand(12)
      local slip = rand(60)
      local base = string.format("2023-%02d-10", month)
      local fore = string.format("2023-%02d-%02d", month, 10 + slip % 18)
      local iu, level = 1 + rand(UNITS), 1 + rand(3)
      local period = string.format("2023-%02d", month)
      chg:write(string.format('    milestone m%d "Milestone %d" {\n      baseline %s\n      forecast %s\n      go_live true\n',
                              m, m, base, fore),
                string.format("      impact { unit u%d; level %d; period %s }\n    }\n", iu, level, period))
      lua:write(string.format('         {id = "m%d", title = "Milestone %d", baseline = "%s", forecast = "%s", go_live = true,\n',
                              m, m, base, fore),
                string.format('          impacts = {{unit = "u%d", level = %d, period = "%s"}}},\n', iu, level, period))
      json:write(string.format('      {"id": "m%d", "title": "Milestone %d", "baseline": "%s", "forecast": "%s", "go_live": true,\n',
                               m, m, base, fore),
                 string.format('       "impacts": [{"unit": "u%d", "level": %d, "period": "%s"}]}%s\n', iu, level, period,
                               m < 2 and "," or ""))
    end
    local a, b, c = 1 + rand(50), 1 + rand(80), 1 + rand(99)
    chg:write(string.format("    saving s%d { money 2022/23: -£%d.1m, 2023/24: -£%d.2m, 2024/25: -£%d.3m }\n  }\n",
                            p, a, b, c))
    lua:write(string.format('       },\n       savings = {{id = "s%d", money = {["2022/23"] = -%d, ["2023/24"] = -%d, ["2024/25"] = -%d}}}},\n',
                            p, a * 100000000 + 10000000, b * 100000000 + 20000000, c * 100000000 + 30000000))
    json:write(string.format('     ],\n     "savings": [{"id": "s%d", "money": {"2022/23": -%d, "2023/24": -%d, "2024/25": -%d}}]}%s\n',
                             p, a * 100000000 + 10000000, b * 100000000 + 20000000, c * 100000000 + 30000000,
                             k < last and "," or ""))
  end
  chg:write("}\n")
  lua:write("     }},\n")
  json:write(string.format("   ]}%s\n", g < programmes and "," or ""))
end
chg:write('\nrule high_risks "High risks" { on risk; when score >= 15; escalate programme }\n')
lua:write("  },\n}\n")
json:write(" ]}\n")
chg:close(); lua:close(); json:close()
