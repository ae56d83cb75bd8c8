-- 34 names no entity has: the first 32 said each, then one warning that
-- there are more, not nothing
function on_portfolio(pf)
  local x1 = pf.nofield_1
  local x2 = pf.nofield_2
  local x3 = pf.nofield_3
  local x4 = pf.nofield_4
  local x5 = pf.nofield_5
  local x6 = pf.nofield_6
  local x7 = pf.nofield_7
  local x8 = pf.nofield_8
  local x9 = pf.nofield_9
  local x10 = pf.nofield_10
  local x11 = pf.nofield_11
  local x12 = pf.nofield_12
  local x13 = pf.nofield_13
  local x14 = pf.nofield_14
  local x15 = pf.nofield_15
  local x16 = pf.nofield_16
  local x17 = pf.nofield_17
  local x18 = pf.nofield_18
  local x19 = pf.nofield_19
  local x20 = pf.nofield_20
  local x21 = pf.nofield_21
  local x22 = pf.nofield_22
  local x23 = pf.nofield_23
  local x24 = pf.nofield_24
  local x25 = pf.nofield_25
  local x26 = pf.nofield_26
  local x27 = pf.nofield_27
  local x28 = pf.nofield_28
  local x29 = pf.nofield_29
  local x30 = pf.nofield_30
  local x31 = pf.nofield_31
  local x32 = pf.nofield_32
  local x33 = pf.nofield_33
  local x34 = pf.nofield_34
end
