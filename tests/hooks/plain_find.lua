local s = string.rep("a", 30000) .. "2022-11-30"
print(s:find("2022-11-30", 1, true))
print(string.find(s, "--x", 1, true))
