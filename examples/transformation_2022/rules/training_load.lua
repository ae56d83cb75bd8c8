-- Training load and sequencing of go-lives.
--
-- The 2022 Transformation Update (para 1.1) describes the concern that
-- CONNECT and Command and Control, going live close together, would put
-- more training "load" and abstraction on the frontline than it can
-- absorb; a Management Board Steering Group revised their sequencing.
-- A declarative rule cannot follow a dependency to the other side's
-- go-lives, so this hook does:
--
-- for every programme or project, for each piece of work it depends on
-- with high importance, compare its open go-lives with that work's:
--   * the other go-live has no date recorded and its baseline has passed
--     (the report says Command and Control's revised plans are agreed,
--     but gives no date): the training load cannot be checked here ->
--     flag the go-live, so that the date is recorded;
--   * both go-lives land within WINDOW_MONTHS of each other on the same
--     units -> flag the go-live, escalate the work to the Board.

local WINDOW_MONTHS = 3

local function month_of(date) -- "2022-11-30" -> a month count
  local y, m = date:match("^(%d%d%d%d)-(%d%d)")
  return tonumber(y) * 12 + tonumber(m) - 1
end

-- The units a milestone's change lands on: its impacts, else its owner's.
local function units_of(m)
  local units, any = {}, false
  for _, i in ipairs(m.impacts) do
    if i.unit then units[i.unit.id] = true; any = true end
  end
  if not any and m.parent.unit then
    units[m.parent.unit.id] = true; any = true
  end
  return units, any
end

local function shared_unit(a, b)
  local ua, known_a = units_of(a)
  local ub, known_b = units_of(b)
  if not (known_a and known_b) then return "the frontline" end -- not known: assume the worst
  for id in pairs(ua) do
    if ub[id] then return id end
  end
  return nil
end

local function open_go_lives(w)
  local list = {}
  for _, m in ipairs(w.milestones) do
    if m.go_live and not m.done then list[#list + 1] = m end
  end
  return list
end

local function check(w)
  for _, dep in ipairs(w.depends_on) do
    if dep.importance == "high" then
      for _, mine in ipairs(open_go_lives(w)) do
        for _, theirs in ipairs(open_go_lives(dep.target)) do
          local unit = shared_unit(mine, theirs)
          if unit and mine.go_live_date then
            if not theirs.forecast and theirs.overdue then
              -- a go-live of our own that is itself past due is said so
              local when = mine.overdue and ("was due " .. mine.go_live_date .. " and is overdue")
                                         or ("goes live " .. mine.go_live_date)
              chg.flag(mine, "warning", string.format(
                "%s %s; %s (which it depends on) has no date recorded since its baseline %s passed, so the training load and abstractions on %s cannot be checked against it: record the revised date",
                mine.title, when, theirs.title, theirs.baseline, unit))
            elseif theirs.go_live_date then
              local gap = math.abs(month_of(mine.go_live_date) - month_of(theirs.go_live_date))
              if gap < WINDOW_MONTHS then
                chg.flag(mine, "warning", string.format(
                  "%s and %s go live %d month(s) apart on %s: combined training load",
                  mine.title, theirs.title, gap, unit))
                chg.escalate(w, "board", "combined training load with " .. dep.target.title)
              end
            end
          end
        end
      end
    end
  end
end

on_programme = check
on_project = check
