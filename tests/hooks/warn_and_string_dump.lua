function on_programme(p)
  warn("x")
end
function on_portfolio(p)
  local s = string.dump(print)
end
