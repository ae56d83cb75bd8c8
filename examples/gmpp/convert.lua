-- convert.lua: the Government Major Projects Portfolio CSV to a .chg portfolio.
--
--   lua5.4 examples/gmpp/convert.lua CSV [YEAR] > portfolio.chg
--
-- CSV is the GMPP table described in README.md (one row per project per
-- annual report, 2014-2023); YEAR is the value of its `year` column to
-- convert, by default the latest in the file. The output is one `.chg`
-- file: the portfolio, one unit per department, one project per GMPP
-- project of that year, claims that the year's figures bear out, and rules
-- that flag weak delivery confidence. The same input gives the same bytes.
--
-- Nothing here is a float: money is parsed from its decimal text and
-- written back with the data's own decimals; totals are sums of pence held
-- as Lua integers.
--
-- Diagnostics go to stderr; the exit status is 0 on success, 2 on a usage,
-- I/O or CSV error.

local CSV_PATH, YEAR_ARG = arg[1], arg[2]

local function die(fmt, ...)
  io.stderr:write("convert.lua: ", string.format(fmt, ...), "\n")
  os.exit(2)
end

if not CSV_PATH or CSV_PATH == "-h" or CSV_PATH == "--help" or arg[3] then
  io.stderr:write("usage: lua5.4 convert.lua CSV [YEAR] > portfolio.chg\n")
  os.exit(2)
end

---------------------------------------------------------------------------
-- What the `year` column means.
--
-- `year` is the year of the GMPP annual report (the IPA's, earlier the
-- Major Projects Authority's) that published the row, not the year of the
-- data. The comments in each year's rows say when the data was taken:
-- 2014 "as at 30 September 2013", "Q2 2013/14"; 2015 "As at Quarter 2",
-- "Q2 2014/15"; 2016 "as at Q2 2015/16"; 2017 "Q2 2015-16 versus Q2
-- 2016-17"; 2018 "as at 30 September 2017"; 2019 "in Q2 18/19"; 2020
-- "September 2019" (the DCA date, in 927 comments). From 2021 the reports
-- moved to the end of the financial year: 2021 "in Q4 2020-21", "March
-- 2021"; 2022 "as at Q4 2021/22"; 2023 "March 2023", "2022/23". So the
-- reports of 2014-2020 publish Q2 data (30 September of the year before),
-- and those of 2021-2023 Q4 data (31 March of the report's year). That
-- date is the portfolio's `as_of`. A year not listed is taken to follow
-- the later practice, Q4 ending 31 March of that year.
---------------------------------------------------------------------------

local DATA_DATE = {
  [2014] = "2013-09-30", [2015] = "2014-09-30", [2016] = "2015-09-30",
  [2017] = "2016-09-30", [2018] = "2017-09-30", [2019] = "2018-09-30",
  [2020] = "2019-09-30", [2021] = "2021-03-31", [2022] = "2022-03-31",
  [2023] = "2023-03-31",
}

local function data_date(year)
  local d = DATA_DATE[year]
  if d then
    local q = d:sub(6, 7) == "09" and "Q2" or "Q4"
    local fy0 = tonumber(d:sub(1, 4)) - (q == "Q4" and 1 or 0)
    return d, string.format("%s %d/%02d", q, fy0, (fy0 + 1) % 100), true
  end
  return string.format("%04d-03-31", year),
         string.format("Q4 %d/%02d", year - 1, year % 100), false
end

---------------------------------------------------------------------------
-- Text: decoding and repairing the file's encoding.
--
-- The file is valid UTF-8, but its non-ASCII text went through Windows
-- code pages on the way: text saved as Windows-1252 was read as Latin-1 or
-- Latin-2 (ISO 8859-2), sometimes after being UTF-8 already, and saved
-- again as UTF-8. So the header's "(£m)" reads "(Łm)" (£ is byte A3,
-- which Latin-2 reads as Ł), "£650" in the comments reads "Ĺ\u{81}650"
-- (Ł as UTF-8 is C5 81, read again as Latin-2), and "’" reads "\u{92}" or
-- "Â\u{92}". The repair undoes this, in three steps:
--
--   1. a run of characters whose Latin-2 bytes form one valid UTF-8
--      sequence is replaced by the character it encodes, until nothing
--      changes (this undoes "UTF-8 read as Latin-2", once or twice);
--   2. a character Latin-2 has but Windows-1252 has not at that byte is
--      taken as that byte in Windows-1252 (Ł -> £, č -> è, ˝ -> ½), and a
--      C1 control as the Windows-1252 character at its byte (U+0092 -> ’);
--      U+0081, which Windows-1252 leaves undefined, appears in this file
--      only as the remains of "£" whose first byte was lost, and becomes £;
--   3. other control characters, and any other character Windows-1252
--      leaves undefined, are dropped.
--
-- A byte that is not valid UTF-8 is read as Windows-1252, so the converter
-- also accepts a file saved in that code page. Text that is already good
-- is unchanged by all this: the characters step 2 maps are ones the
-- English text of this data never uses but as mis-encodings.
---------------------------------------------------------------------------

-- Latin-2 (ISO 8859-2), bytes A0..FF.
local LATIN2 = {
  0x00A0, 0x0104, 0x02D8, 0x0141, 0x00A4, 0x013D, 0x015A, 0x00A7, 0x00A8, 0x0160, 0x015E, 0x0164, 0x0179, 0x00AD, 0x017D, 0x017B,
  0x00B0, 0x0105, 0x02DB, 0x0142, 0x00B4, 0x013E, 0x015B, 0x02C7, 0x00B8, 0x0161, 0x015F, 0x0165, 0x017A, 0x02DD, 0x017E, 0x017C,
  0x0154, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x0139, 0x0106, 0x00C7, 0x010C, 0x00C9, 0x0118, 0x00CB, 0x011A, 0x00CD, 0x00CE, 0x010E,
  0x0110, 0x0143, 0x0147, 0x00D3, 0x00D4, 0x0150, 0x00D6, 0x00D7, 0x0158, 0x016E, 0x00DA, 0x0170, 0x00DC, 0x00DD, 0x0162, 0x00DF,
  0x0155, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x013A, 0x0107, 0x00E7, 0x010D, 0x00E9, 0x0119, 0x00EB, 0x011B, 0x00ED, 0x00EE, 0x010F,
  0x0111, 0x0144, 0x0148, 0x00F3, 0x00F4, 0x0151, 0x00F6, 0x00F7, 0x0159, 0x016F, 0x00FA, 0x0171, 0x00FC, 0x00FD, 0x0163, 0x02D9,
}
-- Windows-1252, bytes 80..9F (false: undefined).
local CP1252_C1 = {
  0x20AC, false, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, false, 0x017D, false,
  false, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, false, 0x017E, 0x0178,
}
local POUND = 0x00A3

-- code point -> its byte in Latin-2 (C1 controls pass through as bytes).
local L2_BYTE = {}
for b = 0, 0x9F do L2_BYTE[b] = b end
for i, cp in ipairs(LATIN2) do L2_BYTE[cp] = 0x9F + i end

local function cp1252_of_byte(b)
  if b < 0x80 or b >= 0xA0 then return b end
  return CP1252_C1[b - 0x7F] or nil
end

-- Length of the UTF-8 sequence a lead byte starts, and the range its
-- second byte must fall in (the rest are 80..BF); nil if not a lead byte.
local function utf8_lead(b)
  if b >= 0xC2 and b <= 0xDF then return 2, 0x80, 0xBF end
  if b == 0xE0 then return 3, 0xA0, 0xBF end
  if b >= 0xE1 and b <= 0xEC then return 3, 0x80, 0xBF end
  if b == 0xED then return 3, 0x80, 0x9F end
  if b >= 0xEE and b <= 0xEF then return 3, 0x80, 0xBF end
  if b == 0xF0 then return 4, 0x90, 0xBF end
  if b >= 0xF1 and b <= 0xF3 then return 4, 0x80, 0xBF end
  if b == 0xF4 then return 4, 0x80, 0x8F end
  return nil
end

local function utf8_value(bytes, n)
  local cp = bytes[1] & (n == 2 and 0x1F or n == 3 and 0x0F or 0x07)
  for k = 2, n do cp = (cp << 6) | (bytes[k] & 0x3F) end
  return cp
end

-- bytes -> code points; a byte that starts no valid sequence is read as
-- Windows-1252 (undefined bytes are dropped).
local function decode(s)
  local cps, i, n = {}, 1, #s
  while i <= n do
    local b = s:byte(i)
    local len, lo, hi = nil, nil, nil
    if b >= 0x80 then len, lo, hi = utf8_lead(b) end
    if b < 0x80 then
      cps[#cps + 1] = b; i = i + 1
    else
      local ok = len ~= nil and i + len - 1 <= n
      local bytes = { b }
      if ok then
        for k = 2, len do
          local c = s:byte(i + k - 1)
          if (k == 2 and (c < lo or c > hi)) or (k > 2 and (c < 0x80 or c > 0xBF)) then
            ok = false; break
          end
          bytes[k] = c
        end
      end
      if ok then
        cps[#cps + 1] = utf8_value(bytes, len); i = i + len
      else
        local cp = cp1252_of_byte(b)
        if cp then cps[#cps + 1] = cp end
        i = i + 1
      end
    end
  end
  return cps
end

-- Step 1: undo UTF-8 read as Latin-2, once per pass.
local function undo_utf8_as_latin2(cps)
  local out, changed, i, n = {}, false, 1, #cps
  while i <= n do
    local b = L2_BYTE[cps[i]]
    local len, lo, hi = nil, nil, nil
    if b then len, lo, hi = utf8_lead(b) end
    local done = false
    if len and i + len - 1 <= n then
      local bytes, ok = { b }, true
      for k = 2, len do
        local c = L2_BYTE[cps[i + k - 1]]
        if not c or (k == 2 and (c < lo or c > hi)) or (k > 2 and (c < 0x80 or c > 0xBF)) then
          ok = false; break
        end
        bytes[k] = c
      end
      if ok then
        out[#out + 1] = utf8_value(bytes, len)
        i, changed, done = i + len, true, true
      end
    end
    if not done then out[#out + 1] = cps[i]; i = i + 1 end
  end
  return out, changed
end

-- Steps 2 and 3.
local function undo_cp1252_as_latin2(cps)
  local out = {}
  for _, cp in ipairs(cps) do
    local b = L2_BYTE[cp]
    if cp == 0x81 then
      out[#out + 1] = POUND
    elseif cp >= 0x80 and cp <= 0x9F then
      local c = cp1252_of_byte(cp)
      if c then out[#out + 1] = c end
    elseif b and b >= 0xA0 and b ~= cp then
      out[#out + 1] = b            -- Latin-1 = Windows-1252 from A0 up
    elseif (cp < 0x20 and cp ~= 0x09 and cp ~= 0x0A and cp ~= 0x0D)
        or cp == 0x7F or (cp >= 0xFDD0 and cp <= 0xFDEF) or (cp & 0xFFFE) == 0xFFFE then
      -- dropped: a control character or a noncharacter
    else
      out[#out + 1] = cp
    end
  end
  return out
end

local function encode(cps)
  local parts = {}
  for i, cp in ipairs(cps) do parts[i] = utf8.char(cp) end
  return table.concat(parts)
end

-- Any field -> clean UTF-8 (newlines kept).
local fix_cache = {}
local function fix_text(s)
  if not s:find("[\x80-\xFF%c]") then return s end
  local hit = fix_cache[s]
  if hit then return hit end
  local cps, changed = decode(s), false
  for _ = 1, 4 do
    cps, changed = undo_utf8_as_latin2(cps)
    if not changed then break end
  end
  local r = encode(undo_cp1252_as_latin2(cps))
  fix_cache[s] = r
  return r
end

-- Clean text -> one line: line breaks, tabs and no-break spaces become
-- spaces, runs of spaces one space, no space at either end.
local function one_line(s)
  s = s:gsub("\r\n", " "):gsub("[\r\n\t]", " "):gsub("\u{A0}", " ")
  s = s:gsub("  +", " "):gsub("^ ", ""):gsub(" $", "")
  return s
end

-- Cut clean UTF-8 to at most `max` bytes at a character boundary.
local function cut(s, max)
  if #s <= max then return s end
  local i = max
  while i > 0 and (s:byte(i + 1) or 0) & 0xC0 == 0x80 do i = i - 1 end
  return s:sub(1, i) .. "..."
end

-- A .chg string literal.
local function quote(s)
  return '"' .. s:gsub('[\\"]', "\\%0") .. '"'
end

-- What the data said, for a comment: one line, cut short.
local function said(s)
  return '"' .. cut(one_line(s), 100) .. '"'
end

-- Strip white space, no-break spaces (U+00A0, two bytes in UTF-8)
-- included, from both ends.
local function trim(s)
  s = s:gsub("\u{A0}", " ")
  return (s:gsub("^%s+", ""):gsub("%s+$", ""))
end

---------------------------------------------------------------------------
-- CSV (RFC 4180, leniently): fields separated by commas, records by CRLF,
-- LF or CR; a field in double quotes may hold commas, newlines and
-- doubled quotes. Text after a closing quote, up to the next separator,
-- is kept (as spreadsheets do).
---------------------------------------------------------------------------

local function parse_csv(s)
  local records, record = {}, {}
  local i, n, line = 1, #s, 1
  if s:sub(1, 3) == "\xEF\xBB\xBF" then i = 4 end   -- a byte order mark
  if n == 0 then return records end
  while true do
    local field
    if s:byte(i) == 34 then                           -- "
      local parts, j, start_line = {}, i + 1, line
      while true do
        local q = s:find('"', j, true)
        if not q then die("%s:%d: quoted field never closed", CSV_PATH, start_line) end
        local chunk = s:sub(j, q - 1)
        local _, nl = chunk:gsub("\n", "")
        line = line + nl
        parts[#parts + 1] = chunk
        if s:byte(q + 1) == 34 then
          parts[#parts + 1] = '"'; j = q + 2
        else
          i = q + 1; break
        end
      end
      local e = s:find("[,\r\n]", i) or n + 1
      parts[#parts + 1] = s:sub(i, e - 1)
      field, i = table.concat(parts), e
    else
      local e = s:find("[,\r\n]", i) or n + 1
      field, i = s:sub(i, e - 1), e
    end
    record[#record + 1] = field
    local c = s:byte(i)
    if c == 44 then                                   -- ,
      i = i + 1
    else                                              -- end of record or file
      records[#records + 1] = record
      record = {}
      if c == 13 and s:byte(i + 1) == 10 then i = i + 2
      elseif c then i = i + 1 end
      line = line + 1
      if i > n then break end
    end
  end
  return records
end

---------------------------------------------------------------------------
-- Values.
---------------------------------------------------------------------------

local DCA = {
  ["green"] = "green", ["amber/green"] = "amber_green", ["amber"] = "amber",
  ["amber/red"] = "amber_red", ["red"] = "red",
}
local DCA_ORDER = { "red", "amber_red", "amber", "amber_green", "green" }
local DCA_LABEL = {
  red = "Red", amber_red = "Amber/Red", amber = "Amber",
  amber_green = "Amber/Green", green = "Green",
}

-- colour_rating -> a level of std.dca, or nil. Case, spaces and no-break
-- spaces do not matter ("Amber/ Red", "Amber/red", "Amber ").
local function dca_level(text)
  local key = text:lower():gsub("\u{A0}", ""):gsub("%s", "")
  return DCA[key]
end

local function is_leap(y) return (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0 end
local MONTH_DAYS = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }

local function valid_date(y, m, d)
  if m < 1 or m > 12 or d < 1 or y < 1 then return false end
  local last = MONTH_DAYS[m] + ((m == 2 and is_leap(y)) and 1 or 0)
  return d <= last
end

-- A date field -> "YYYY-MM-DD", or nil. Taken: ISO dates (2023) and
-- day/month/four-digit-year dates (2014-2017; the data is British, and
-- days above 12 in the first place confirm the order). Not taken: the
-- DD.MM.YY dates of 2018-2020, whose century the data leaves open (start
-- dates run from '97 to '23, end dates to '50), and anything else.
local function parse_date(text)
  local t = trim(text)
  local y, m, d = t:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then
    d, m, y = t:match("^(%d%d?)/(%d%d?)/(%d%d%d%d)$")
  end
  if not y then return nil end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if not valid_date(y, m, d) then return nil end
  return string.format("%04d-%02d-%02d", y, m, d)
end

-- Digits of a whole number, in groups of three joined by `_` from five
-- digits up (`12_131`), as the language allows; the digits are unchanged.
local function group(digits)
  if #digits < 5 then return digits end
  local head = #digits % 3
  local parts = {}
  if head > 0 then parts[1] = digits:sub(1, head) end
  for k = head + 1, #digits, 3 do parts[#parts + 1] = digits:sub(k, k + 2) end
  return table.concat(parts, "_")
end

-- An amount in £m -> { text = "£X.Ym", pence = integer }, or nil and why.
-- Accepted: "34.0", "£12,131.50", " £26.19m" (with the £ in any of its
-- mis-encodings, repaired by fix_text), an optional minus sign. The digits
-- are the data's: only thousands separators and leading zeros go.
local MAX_INT_DIGITS = 10     -- £9,999,999,999m is 10^18 pence: fits in 63 bits
local function parse_millions(text)
  local t = trim(text)
  if t == "" then return nil end
  local neg = false
  if t:sub(1, 1) == "-" then neg, t = true, trim(t:sub(2)) end
  if t:sub(1, 2) == "£" then t = trim(t:sub(3)) end
  if not neg and t:sub(1, 1) == "-" then neg, t = true, trim(t:sub(2)) end
  t = t:gsub("%s*[mM]$", "")
  local int, frac = t:match("^(%d[%d,]*)%.?(%d*)$")
  if not int then return nil, "not a number" end
  if int:find(",") then
    -- thousands separators: 1 to 3 digits, then groups of exactly three
    local head, rest = int:match("^(%d%d?%d?)(,.*)$")
    if not head or (rest:gsub(",%d%d%d", "")) ~= "" then
      return nil, "misplaced thousands separator"
    end
    int = int:gsub(",", "")
  end
  int = int:gsub("^0+(%d)", "%1")
  if #int > MAX_INT_DIGITS then return nil, "too large" end
  -- £1m is 10^8 pence: up to eight decimal places are whole pence.
  local f = frac:gsub("0+$", "")
  if #f > 8 then return nil, "not a whole number of pence" end
  if #frac > 8 then frac = frac:sub(1, 8) end      -- only zeros were cut
  local pence = math.tointeger(tonumber(int)) * 100000000
  if #f > 0 then
    pence = pence + math.tointeger(tonumber(f .. string.rep("0", 8 - #f)))
  end
  local s = "£" .. group(int) .. (frac ~= "" and ("." .. frac) or "") .. "m"
  if neg then return { text = "-" .. s, pence = -pence, negative = true } end
  return { text = s, pence = pence }
end

-- pence -> "£X.Ym", exactly.
local function money_text(pence)
  local sign = pence < 0 and "-" or ""
  local p = pence < 0 and -pence or pence
  local int, frac = p // 100000000, p % 100000000
  local f = string.format("%08d", frac):gsub("0+$", "")
  return sign .. "£" .. group(tostring(int)) .. (f ~= "" and ("." .. f) or "") .. "m"
end

---------------------------------------------------------------------------
-- Identifiers.
---------------------------------------------------------------------------

local RESERVED = {}
for w in ([[use include when expect where and or not in true false
  red amber_red amber amber_green green
  portfolio scale unit programme project workstream milestone benefit saving
  risk impact recommendation rule claim hook]]):gmatch("%S+") do
  RESERVED[w] = true
end

local taken = {}
-- text -> a fresh id: lower case, [a-z0-9_], starting with a letter,
-- at most 48 characters, unique among all top-level ids.
local function make_id(text, prefix, fallback)
  local id = text:lower():gsub("[^a-z0-9]+", "_"):gsub("^_+", ""):gsub("_+$", "")
  if id == "" then id = fallback end
  if id:match("^%d") then id = prefix .. id end
  if #id > 48 then
    id = id:sub(1, 48)
    local at = id:match("^.*()_")
    if at and at > 24 then id = id:sub(1, at - 1) end
    id = id:gsub("_+$", "")
  end
  local base, k = id, 2
  while taken[id] or RESERVED[id] do
    id = base .. "_" .. k; k = k + 1
  end
  taken[id] = true
  return id
end

---------------------------------------------------------------------------
-- Read the table.
---------------------------------------------------------------------------

local fh, err = io.open(CSV_PATH, "rb")
if not fh then die("cannot open %s", err) end
local data = fh:read("a")
fh:close()

local records = parse_csv(data)
if #records < 2 then die("%s: no data rows", CSV_PATH) end

local header = records[1]
local col = {}
for i, h in ipairs(header) do col[trim(fix_text(h))] = i end
-- The benefits column is found by the start of its name: its "(£m)" is
-- mis-encoded in the source.
for i, h in ipairs(header) do
  if trim(h):find("^TOTAL Baseline Benefits") then col.benefits = i end
end
for _, name in ipairs({ "project_name", "department", "colour_rating",
    "description_aims", "start_date", "end_date", "wlc_baseline_incl_NCG",
    "year", "report_category", "project_number", "benefits" }) do
  if not col[name] then die("%s: no column `%s`", CSV_PATH, name) end
end

local function get(rec, name) return rec[col[name]] or "" end

local function row_year(rec)
  local y = trim(get(rec, "year")):match("^(%d%d%d%d)%.?0*$")
  return y and tonumber(y)
end

local years, year_set, no_year = {}, {}, 0
for r = 2, #records do
  local y = row_year(records[r])
  if y then
    if not year_set[y] then year_set[y] = true; years[#years + 1] = y end
  else
    no_year = no_year + 1
  end
end
table.sort(years)
if #years == 0 then die("%s: no row has a year", CSV_PATH) end

local YEAR
if YEAR_ARG then
  YEAR = tonumber(YEAR_ARG:match("^%d%d%d%d$") or "")
  if not YEAR or not year_set[YEAR] then
    die("no rows for year `%s`; the years in %s are %s", YEAR_ARG, CSV_PATH,
        table.concat(years, ", "))
  end
else
  YEAR = years[#years]
end

local rows = {}
for r = 2, #records do
  if row_year(records[r]) == YEAR then rows[#rows + 1] = records[r] end
end

---------------------------------------------------------------------------
-- Build the portfolio.
---------------------------------------------------------------------------

local AS_OF, QUARTER, KNOWN_DATE = data_date(YEAR)
local PORTFOLIO_ID = "gmpp_" .. YEAR
local SRC = "GMPP annual report data, " .. YEAR

for _, id in ipairs({ PORTFOLIO_ID, "red_dca", "amber_red_dca", "weak_and_large",
    "project_count", "dca_counts", "no_dca", "weak_share", "wlc_total",
    "benefits_total" }) do
  taken[id] = true
end

-- Departments: one unit per department code. Codes that differ only in
-- case or spacing ("DoH" and "DOH" in 2014) are one department; its title
-- is the spelling most rows use (the first in byte order on a tie).
local depts, dept_of_key = {}, {}
for _, rec in ipairs(rows) do
  local code = one_line(fix_text(get(rec, "department")))
  if code ~= "" then
    local key = code:lower():gsub("%s+", "")
    local d = dept_of_key[key]
    if not d then
      d = { key = key, spellings = {}, rows = 0 }
      dept_of_key[key] = d
      depts[#depts + 1] = d
    end
    d.spellings[code] = (d.spellings[code] or 0) + 1
    d.rows = d.rows + 1
  end
end
for _, d in ipairs(depts) do
  local names = {}
  for s in pairs(d.spellings) do names[#names + 1] = s end
  table.sort(names, function(a, b)
    if d.spellings[a] ~= d.spellings[b] then return d.spellings[a] > d.spellings[b] end
    return a < b
  end)
  d.title, d.names = names[1], names
end
table.sort(depts, function(a, b) return a.key < b.key end)
for _, d in ipairs(depts) do d.id = make_id(d.title, "u_", "unit") end

local out = {}
local function emit(s) out[#out + 1] = s end
local function emitf(fmt, ...) out[#out + 1] = string.format(fmt, ...) end

-- Projects.
local projects = {}
local counts = { red = 0, amber_red = 0, amber = 0, amber_green = 0, green = 0 }
local no_dca, wlc_sum, wlc_n, ben_sum, ben_n = 0, 0, 0, 0, 0
local no_dca_kinds, no_dca_order = {}, {}   -- what stood in for a DCA, how often
local large_threshold = 100000000 * 1000          -- £1bn in pence

for _, rec in ipairs(rows) do
  local p = { notes = {} }
  local name = one_line(fix_text(get(rec, "project_name")))
  local number = one_line(fix_text(get(rec, "project_number")))
  p.title = name ~= "" and name or (number ~= "" and number or "Unnamed project")
  p.id = make_id(number ~= "" and number or name, "p_", "project")
  if number ~= "" then p.number = number end

  local code = one_line(fix_text(get(rec, "department")))
  if code ~= "" then
    p.unit = dept_of_key[code:lower():gsub("%s+", "")].id
  else
    p.notes[#p.notes + 1] = "no department in the data"
  end

  local rating = fix_text(get(rec, "colour_rating"))
  p.confidence = dca_level(rating)
  if p.confidence then
    counts[p.confidence] = counts[p.confidence] + 1
    if trim(one_line(rating)) ~= DCA_LABEL[p.confidence] then
      p.notes[#p.notes + 1] = "DCA written " .. said(rating) .. " in the data"
    end
  else
    no_dca = no_dca + 1
    local t = trim(one_line(rating))
    local kind
    if t == "" then
      kind = "blank"
      p.notes[#p.notes + 1] = "no DCA: colour_rating is blank in the data"
    else
      kind = t:lower():find("exempt", 1, true) and "exempt under the Freedom of Information Act"
             or quote(cut(t, 40))
      p.notes[#p.notes + 1] = "no DCA: the data says " .. said(rating)
    end
    if not no_dca_kinds[kind] then
      no_dca_kinds[kind] = 0
      no_dca_order[#no_dca_order + 1] = kind
    end
    no_dca_kinds[kind] = no_dca_kinds[kind] + 1
  end

  local sd_text, ed_text = fix_text(get(rec, "start_date")), fix_text(get(rec, "end_date"))
  local sd, ed = parse_date(sd_text), parse_date(ed_text)
  if not sd and trim(sd_text) ~= "" then
    p.notes[#p.notes + 1] = "start_date not a date taken: " .. said(sd_text)
  end
  if not ed and trim(ed_text) ~= "" then
    p.notes[#p.notes + 1] = "end_date not a date taken: " .. said(ed_text)
  end
  if sd and ed and ed < sd then
    p.notes[#p.notes + 1] = string.format(
      "start and end left out: end_date %s is before start_date %s in the data", ed, sd)
    sd, ed = nil, nil
  end
  p.start, p["end"] = sd, ed

  local wlc_text = fix_text(get(rec, "wlc_baseline_incl_NCG"))
  local wlc, why = parse_millions(wlc_text)
  if wlc and wlc.negative then
    p.notes[#p.notes + 1] = "whole-life cost left out: negative in the data, " .. said(wlc_text)
    wlc = nil
  elseif not wlc and why then
    p.notes[#p.notes + 1] = "whole-life cost left out (" .. why .. "): " .. said(wlc_text)
  end
  if wlc then
    p.budget = wlc.text
    p.budget_pence = wlc.pence
    wlc_sum, wlc_n = wlc_sum + wlc.pence, wlc_n + 1
  end

  local ben_text = fix_text(get(rec, "benefits"))
  local ben, bwhy = parse_millions(ben_text)
  if ben then
    p.benefit = ben.text
    ben_sum, ben_n = ben_sum + ben.pence, ben_n + 1
    if ben.negative then
      p.notes[#p.notes + 1] = "total baseline benefits are negative in the data"
    end
  elseif bwhy then
    p.notes[#p.notes + 1] = "benefits left out (" .. bwhy .. "): " .. said(ben_text)
  end

  local cat = one_line(fix_text(get(rec, "report_category")))
  if cat ~= "" then
    p.tag = cat:lower():gsub("[^a-z0-9]+", "_"):gsub("^_+", ""):gsub("_+$", "")
    if p.tag == "" or p.tag:match("^%d") or RESERVED[p.tag] then p.tag = "c_" .. p.tag end
  end

  local aims = one_line(fix_text(get(rec, "description_aims")))
  if aims ~= "" then p.rationale = aims end

  projects[#projects + 1] = p
end

local total = #projects
-- From 2022 the IPA rated delivery confidence Red, Amber or Green: such a
-- year gets a three-point `dca` scale of its own, not std.dca's five.
local THREE_POINT = total - no_dca > 0 and counts.amber_red + counts.amber_green == 0
local LEVELS = THREE_POINT and { "red", "amber", "green" } or DCA_ORDER
local WEAK_WORDS = THREE_POINT and "Red" or "Amber/Red or Red"
local WEAK_WHEN = THREE_POINT and "confidence == red" or "confidence <= amber_red"
local weak = counts.red + counts.amber_red
local weak_large = 0
for _, p in ipairs(projects) do
  if (p.confidence == "red" or p.confidence == "amber_red")
      and p.budget_pence and p.budget_pence >= large_threshold then
    weak_large = weak_large + 1
  end
end

---------------------------------------------------------------------------
-- Write it.
---------------------------------------------------------------------------

local csv_name = CSV_PATH:match("[^/\\]+$") or CSV_PATH

emitf("# Government Major Projects Portfolio, annual report %d.\n", YEAR)
emit("#\n")
emitf("# Generated by examples/gmpp/convert.lua from %s (%d rows for %d):\n",
      csv_name, total, YEAR)
emit("# edit the converter, not this file. The data is the Infrastructure and\n")
emit("# Projects Authority's GMPP data releases, under the Open Government\n")
emit("# Licence; see README.md.\n")
emit("#\n")
emitf("# The `year` column is the year of the annual report. The %d report\n", YEAR)
if KNOWN_DATE then
  emitf("# publishes data as at the end of %s, %s: that is `as_of`.\n", QUARTER, AS_OF)
else
  emitf("# is not one whose data date the converter knows; `as_of` assumes the\n")
  emitf("# practice of 2021-2023, the end of %s, %s.\n", QUARTER, AS_OF)
end
if THREE_POINT then
  emit("#\n")
  emitf("# The %d ratings use only Red, Amber and Green: by then the IPA rated\n", YEAR)
  emit("# delivery confidence on a three-point scale, not the five-point one of\n")
  emit("# std.dca, so the portfolio defines its own `dca` scale of three levels.\n")
end
emit("#\n")
emit("# Per project: unit from department, confidence from colour_rating (the\n")
emit("# DCA), start and end from start_date and end_date, budget from\n")
emit("# wlc_baseline_incl_NCG (whole-life cost, including non-government costs,\n")
emit("# in £m), rationale from description_aims, tags from report_category, a\n")
emit("# benefit from TOTAL Baseline Benefits (£m), written `type cashable`\n")
emit("# though the data does not say how much of it is cashable. Where the\n")
emit("# data holds something that is not a value of the language, a comment\n")
emit("# says what it held and the attribute is left out.\n")
emit("\n")
if THREE_POINT then
  emit("scale dca \"Delivery confidence (the IPA's three-point scale)\" {\n")
  emit("  level red   \"Red\"   \"Successful delivery appears to be unachievable\"\n")
  emit("  level amber \"Amber\" \"Successful delivery appears feasible, but significant issues already exist\"\n")
  emit("  level green \"Green\" \"Successful delivery appears highly likely\"\n")
  emit("}\n")
else
  emit("use std.dca\n")
end
emit("\n")
emitf("portfolio %s %s {\n", PORTFOLIO_ID,
      quote("Government Major Projects Portfolio, " .. YEAR))
emit("  owner      \"Infrastructure and Projects Authority\"\n")
emitf("  as_of      %s\n", AS_OF)
emit("  year_start april\n")
emit("  currency   GBP\n")
emit("}\n")
emit("\n")

emitf("# Departments (%d), by the codes the data uses.\n", #depts)
for _, d in ipairs(depts) do
  if #d.names > 1 then
    local others = {}
    for k = 2, #d.names do others[#others + 1] = quote(d.names[k]) end
    emitf("unit %s %s   # also written %s in the data\n", d.id, quote(d.title),
          table.concat(others, ", "))
  else
    emitf("unit %s %s\n", d.id, quote(d.title))
  end
end
emit("\n")

emitf("# Projects (%d), in the order of the data.\n", total)
for _, p in ipairs(projects) do
  emit("\n")
  for _, note in ipairs(p.notes) do emitf("# %s: %s\n", p.id, note) end
  emitf("project %s %s {\n", p.id, quote(p.title))
  if p.unit then emitf("  unit       %s\n", p.unit) end
  if p.confidence then emitf("  confidence %s\n", p.confidence) end
  if p.start then emitf("  start      %s\n", p.start) end
  if p["end"] then emitf("  end        %s\n", p["end"]) end
  if p.budget then emitf("  budget     %s\n", p.budget) end
  if p.tag then emitf("  tags       [%s]\n", p.tag) end
  if p.rationale then emitf("  rationale  %s\n", quote(p.rationale)) end
  if p.benefit then
    -- titled by its project: the benefits table lists 110 of them
    emitf("  benefit baseline_benefits %s {\n", quote("Baseline benefits: " .. p.title))
    emit("    type   cashable\n")
    emitf("    target %s\n", p.benefit)
    emit("  }\n")
  end
  emit("}\n")
end
emit("\n")

-- Rules.
emit("# Rules: what a board paper on this portfolio would flag.\n\n")
emit("rule red_dca \"Red DCA projects\" {\n")
emit("  on   project\n")
emit("  when confidence == red\n")
emit("  flag warning \"Red DCA: successful delivery appears to be unachievable\"\n")
emit("}\n\n")
if not THREE_POINT then
  emit("rule amber_red_dca \"Amber/Red DCA projects\" {\n")
  emit("  on   project\n")
  emit("  when confidence == amber_red\n")
  emit("  flag info \"Amber/Red DCA: successful delivery is in doubt\"\n")
  emit("}\n\n")
end
emitf("rule weak_and_large %s {\n", quote(WEAK_WORDS .. " DCA on a whole-life cost of £1bn or more"))
emit("  on   project\n")
emitf("  when %s and budget >= £1bn\n", WEAK_WHEN)
emit("  flag warning \"Weak delivery confidence on a project of £1bn or more\"\n")
emit("}\n\n")

-- Claims: figures computed here from the data, which chg recomputes from
-- the blocks above.
emit("# Claims: the year's figures as the data gives them; `chg check`\n")
emit("# recomputes each from the projects above.\n\n")

emitf("claim project_count %s {\n", quote(total .. " projects on the GMPP"))
emitf("  expect count(project) == %d\n", total)
emitf("  source %s\n", quote(SRC .. ": " .. total .. " project rows for " .. YEAR))
emit("}\n\n")

local parts, words = {}, {}
for _, lv in ipairs(LEVELS) do
  parts[#parts + 1] = string.format("count(project where confidence == %s) == %d", lv, counts[lv])
  words[#words + 1] = string.format("%s %d", DCA_LABEL[lv], counts[lv])
end
emitf("claim dca_counts %s {\n", quote("Projects by delivery confidence"))
emitf("  expect %s\n", table.concat(parts, " and\n         "))
emitf("  source %s\n", quote(SRC .. ": colour_rating, case and spaces ignored: " ..
      table.concat(words, ", ")))
emit("}\n\n")

emitf("claim no_dca %s {\n", quote(no_dca .. " projects without a DCA level"))
emitf("  expect count(project where not (confidence >= red)) == %d\n", no_dca)
local kinds = {}
for _, k in ipairs(no_dca_order) do
  kinds[#kinds + 1] = string.format("%s (%d)", k, no_dca_kinds[k])
end
emitf("  source %s\n", quote(SRC .. ": " .. no_dca ..
      " rows whose colour_rating is none of the " .. (THREE_POINT and "three" or "five") .. " levels" ..
      (no_dca > 0 and (": " .. table.concat(kinds, ", ")) or "")))
emit("}\n\n")

-- The share at Amber/Red or Red, of all projects (those without a DCA
-- count in the whole but not among the weak), bracketed by the whole
-- percentages either side of it: lo% <= share < (lo + 1)%.
local lo = (100 * weak) // total
local basis = (10000 * weak + total // 2) // total  -- hundredths of a percent, rounded
emitf("claim weak_share %s {\n", quote(string.format(
  "Between %d%% and %d%% of all projects at %s", lo, lo + 1, WEAK_WORDS)))
emitf("  expect pct(project where %s) >= %d%% and\n", WEAK_WHEN, lo)
emitf("         pct(project where %s) < %d%%\n", WEAK_WHEN, lo + 1)
emitf("  source %s\n", quote(string.format(
  "%s: %d %s of all %d projects (those without a DCA included) is %d.%02d%% (rounded); the bounds are the whole percentages either side, computed by convert.lua",
  SRC, weak, WEAK_WORDS, total, basis // 100, basis % 100)))
emit("}\n\n")

if wlc_n > 0 then
  emitf("claim wlc_total %s {\n", quote("Whole-life cost baseline of the projects that give one"))
  emitf("  expect sum(project.budget) == %s and count(project where budget >= £0) == %d\n",
        money_text(wlc_sum), wlc_n)
  emitf("  source %s\n", quote(string.format(
    "%s: wlc_baseline_incl_NCG summed over the %d projects with a usable figure", SRC, wlc_n)))
  emit("}\n")
end

if ben_n > 0 then
  emit("\n")
  emitf("claim benefits_total %s {\n", quote("Total baseline benefits of the projects that give them"))
  emitf("  expect sum(benefit.target) == %s and count(benefit) == %d\n", money_text(ben_sum), ben_n)
  emitf("  source %s\n", quote(string.format(
    "%s: TOTAL Baseline Benefits summed over the %d projects with a figure", SRC, ben_n)))
  emit("}\n")
end

io.stdout:write(table.concat(out))

-- A summary for whoever ran it.
io.stderr:write(string.format(
  "convert.lua: %d: %d projects, %d units; DCA red %d, amber_red %d, amber %d, amber_green %d, green %d, none %d; %d Amber/Red or Red with WLC >= £1bn\n",
  YEAR, total, #depts, counts.red, counts.amber_red, counts.amber, counts.amber_green,
  counts.green, no_dca, weak_large))
if no_year > 0 then
  io.stderr:write(string.format("convert.lua: %d rows with no year were skipped\n", no_year))
end
