-- os.remove and os.rename must not exist: the canary file survives.
local ok = pcall(function() return os.remove("/tmp/chg-canary-file") end)
print("os.remove callable:", ok)
os.rename("/tmp/chg-canary-file", "/tmp/chg-pwned-renamed")
