-- Levels reach a hook as their names, which compare by their letters
-- ("red" > "amber_red"); chg.rank gives their place in the scale, so that
-- a rule's `confidence <= amber_red` is rank <= rank, as in the language.
function on_project(p)
  local at_most = chg.rank("dca", "amber_red")
  if chg.rank("dca", p.confidence) and chg.rank("dca", p.confidence) <= at_most then
    chg.flag(p, "warning", "confidence " .. p.confidence .. " is amber/red or worse")
  end
end

function on_portfolio(pf)
  if chg.rank("escalation", "board") >= chg.rank("escalation", "portfolio") then
    chg.flag(pf, "error", "the board ranked below the portfolio")
  end
  if chg.rank("dca", nil) ~= nil then chg.flag(pf, "error", "nil ranked") end
  local ok, e = pcall(chg.rank, "dca", "amber_rde")
  chg.log(e)
  ok, e = pcall(chg.rank, "colour", "red")
  chg.log(e)
end
