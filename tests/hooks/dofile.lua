-- dofile must not exist.
function on_portfolio(pf)
  dofile("tests/hooks/os_execute.lua")
end
