-- load() must run in this hook's environment, never the real globals, and
-- only text; verify_intact.lua runs next and must not see `escaped`.
local g = load("return _G")()
print("load's _G is this hook's _G:", rawequal(g, _G))
print("load sees io, os.execute, debug, require:", load("return io, os.execute, debug, require")())
print("explicit empty env:", pcall(load("return string.rep('x', 2)", "=chunk", "t", {})))
print("load of a reader function:", pcall(load, function() return nil end))
load("escaped = true")()
print("escaped is set here:", escaped)
local f, err = load("return 1", "=chunk", "b")
print("text with mode b:", f ~= nil)
