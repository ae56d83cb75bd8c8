-- Globals set here, by every route, must not be visible to the next hook
-- (verify_intact.lua); load() runs in this hook's environment.
leaked_global = "secret"
_G.leaked_g = "secret"
_ENV.leaked_env = "secret"
load("leaked_load = 'secret'")()
print("set here:", leaked_global, leaked_g, leaked_env, leaked_load)
function on_portfolio(pf)
  print("on_portfolio still sees:", leaked_global)
end
