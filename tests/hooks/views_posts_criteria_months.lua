function on_portfolio(pf)
  local s = pf.savings[1]
  print("posts", s.posts.officers["2011/12"], s.posts.officers["2012/13"])
  print("criteria", pf.criteria.overall)
end
function on_programme(p)
  for _, i in ipairs(p.impacts) do
    print("months", #i.months, i.months[1], i.months[#i.months])
  end
end
