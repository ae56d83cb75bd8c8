-- Lua names a file in its messages by the end of the path when the whole
-- passes sixty bytes: this syntax error was placed at line 1.
x = = 1
