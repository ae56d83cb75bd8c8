-- loadfile must not exist: a hook cannot run other files as code.
print("loadfile:", loadfile)
local f = loadfile("/etc/passwd")
