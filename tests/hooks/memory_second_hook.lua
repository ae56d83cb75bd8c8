-- memory_second_hook.lua: named after memory_between_hooks.lua; 24 MB is
-- well within the cap once the first hook is done.
local s = string.rep("y", 24 * 1024 * 1024)
print("second hook made", #s // (1024 * 1024), "MB")
