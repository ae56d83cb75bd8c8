-- os keeps only time, date, clock and difftime.
print("os.getenv, os.tmpname, os.setlocale:", os.getenv, os.tmpname, os.setlocale)
print("os.time, os.clock:", type(os.time()), type(os.clock()))
print("os.date bad format:", pcall(os.date, "%Ez"))
local home = os.getenv("HOME")
