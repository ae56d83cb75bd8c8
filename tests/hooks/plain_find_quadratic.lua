-- plain text searched for in a subject built to make a naive search quadratic
local s = string.rep("a", 2^21)
local text = string.rep("a", 2^20) .. "b"
print("plain", string.find(s, text, 1, true))
print("no pattern items", s:find(text))
print("found", s:find(string.rep("a", 2^20), 1000, true))
print("init", ("hello world"):find("o w", 1, true), ("hello"):find("", 3), ("hello"):find("", 10))
print("negative init", ("hello"):find("lo", -2), ("hello"):find("h", -100), ("a.b"):find(".", 1, true))
