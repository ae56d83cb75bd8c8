" Vim syntax file
" Language:    chg -- a portfolio office's change portfolio as text
" Filenames:   *.chg
" Reference:   docs/language.md of the chg tool
"
" Later items win where two start at one place, so the general ones come
" first: an attribute key before a block kind, a number before a date,
" a string before a long string.

if exists("b:current_syntax")
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn case match
syn sync minlines=200

" ---- values --------------------------------------------------------------
syn match   chgIdentifier   "\<\h\w*\>"
syn match   chgReference    "\<\h\w*\%(\.\h\w*\)\+\>"
syn match   chgNumber       "\<\d[0-9_]*\%(\.\d[0-9_]*\)\=\>"
syn match   chgPercent      "\<\d[0-9_]*\%(\.\d[0-9_]*\)\=%"
syn match   chgMoney        "£\d[0-9_]*\%(\.\d[0-9_]*\)\=\%(k\|m\|bn\)\=\>"
syn match   chgMonth        "\<\d\{4}-\d\{2}\>"
syn match   chgDate         "\<\d\{4}-\d\{2}-\d\{2}\>"
syn match   chgQuarter      "\<\d\{4}-Q\d\>"
syn match   chgFinancialYear "\<\%(FY\)\=\d\{4}/\d\{2}\>"
syn keyword chgMonthName    january february march april may june july august september october november december
syn match   chgFunction     "\<\%(count\|pct\|sum\|min\|max\|avg\|any\|all\)\ze\s*("
syn match   chgOperator     "==\|!=\|<=\|>=\|[<>+*/-]"
syn match   chgRange        "\.\."
syn match   chgError        "=\|\$\d"
syn match   chgDelimiter    "[{}\[\](),:;]"

" ---- keys and block heads ------------------------------------------------
" A key starts its line (or follows { or ;); a kind does too, and heads a
" block when it is at the top level or its line opens a brace.
syn match   chgKey          "\%(^\|[{;]\)\s*\zs\h\w*\ze\%(\s\|$\)"
syn match   chgKind         "^\%(portfolio\|scale\|unit\|programme\|project\|workstream\|milestone\|benefit\|saving\|risk\|impact\|recommendation\|rule\|claim\|hook\)\>" nextgroup=chgBlockId skipwhite
syn match   chgKind         "\%(^\|[{;]\)\s*\zs\%(portfolio\|scale\|unit\|programme\|project\|workstream\|milestone\|benefit\|saving\|risk\|impact\|recommendation\|rule\|claim\|hook\)\>\ze[^#]*{" nextgroup=chgBlockId skipwhite
syn match   chgBlockId      "\<\h\w*\>" contained

" ---- reserved words: a keyword beats any match ------------------------------
syn keyword chgInclude      use include
syn keyword chgStatement    when expect where
syn keyword chgLogical      and or not in
syn keyword chgBoolean      true false

" ---- strings and comments ---------------------------------------------------
syn match   chgBadEscape    +\\.\=+ contained
syn match   chgEscape       +\\\%(["\\nt]\|u{\x\{1,6}}\)+ contained
syn region  chgString       start=+"+ skip=+\\\\\|\\"+ end=+"+ end=+$+ contains=chgEscape,chgBadEscape,@Spell
syn region  chgLongString   start=+"""+ end=+"""+ contains=@Spell
syn keyword chgTodo         TODO FIXME XXX NOTE contained
syn match   chgComment      "#.*$" contains=chgTodo,@Spell

" ---- colours ---------------------------------------------------------------
hi def link chgComment       Comment
hi def link chgTodo          Todo
hi def link chgString        String
hi def link chgLongString    String
hi def link chgEscape        SpecialChar
hi def link chgBadEscape     Error
hi def link chgError         Error
hi def link chgInclude       Include
hi def link chgStatement     Statement
hi def link chgLogical       Operator
hi def link chgBoolean       Boolean
hi def link chgKind          Type
hi def link chgBlockId       Identifier
hi def link chgKey           Identifier
hi def link chgNumber        Number
hi def link chgPercent       Number
hi def link chgMoney         Number
hi def link chgDate          Constant
hi def link chgMonth         Constant
hi def link chgQuarter       Constant
hi def link chgFinancialYear Constant
hi def link chgMonthName     Constant
hi def link chgFunction      Function
hi def link chgOperator      Operator
hi def link chgRange         Operator
hi def link chgReference     Special
hi def link chgIdentifier    NONE
hi def link chgDelimiter     Delimiter

let b:current_syntax = "chg"

let &cpo = s:cpo_save
unlet s:cpo_save
