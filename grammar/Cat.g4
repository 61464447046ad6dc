// herd's cat language (models, bell files, and the small library files they include).
// Operator binding, tightest first: ^-1, postfix * + ?, prefix ~, binary * (cartesian product), &, \, ;, ++, |.
grammar Cat;

model : header? instruction* EOF ;

// An optional model name (herd: a bare name and/or a string before the first instruction).
header : (NAME | STRING) (NAME | STRING)? ;

instruction
  : LET REC? bindings IN?                                    # letIns
  | testType=(FLAG | REQUIRES)? checkTest expr (AS NAME)?    # checkIns
  | SHOW expr AS NAME                                        # showAsIns
  | SHOW NAME (COMMA NAME)*                                  # showIns
  | UNSHOW NAME (COMMA NAME)*                                # unshowIns
  | INCLUDE STRING                                           # includeIns
  | PROCEDURE REC? NAME LPAR formals? RPAR EQ instruction* END  # procTupleIns
  | PROCEDURE REC? NAME pat0 EQ instruction* END             # procIns
  | CALL NAME simple (AS NAME)?                              # callIns
  | DEBUG expr                                               # debugIns
  | FORALL NAME IN expr DO instruction* END                  # forallIns
  | WITH NAME FROM expr                                      # withIns
  | INSTRUCTIONS NAME LBRACK args? RBRACK                    # instructionsIns
  | DEFAULT NAME LBRACK args? RBRACK                         # defaultIns
  | ENUM NAME EQ ALT? TAG (ALT TAG)*                         # enumIns
  | IF cond THEN? thenIns+=instruction* (ELSE elseIns+=instruction*)? END  # ifIns
  ;

checkTest : COMP? (ACYCLIC | IRREFLEXIVE | EMPTYKW) ;

bindings : binding (AND binding)* ;

binding
  : NAME pat0 EQ expr                  # funBinding
  | NAME LPAR formals? RPAR EQ expr    # funTupleBinding
  | LPAR formals? RPAR EQ expr         # tupleBinding
  | formals EQ expr                    # plainBinding
  ;

formals : pat0 (COMMA pat0)* ;
pat0 : NAME | UNDERSCORE ;

expr
  : LET REC? bindings IN expr                      # letExpr
  | FUN pat0 ARROW expr                            # funExpr
  | FUN LPAR formals? RPAR ARROW expr              # funTupleExpr
  | TRY expr WITH expr                             # tryExpr
  | IF cond THEN expr ELSE expr                    # ifExpr
  | MATCH expr WITH ALT? matchClauses END          # matchExpr
  | base (COMMA base)*                             # baseExpr
  ;

matchClauses
  : setClauses                                                    # setMatch
  | tagClause (ALT tagClause)* (ALT UNDERSCORE ARROW expr)?       # tagMatch
  | UNDERSCORE ARROW expr                                         # defaultMatch
  ;

setClauses
  : LBRACE RBRACE ARROW expr ALT pat0 PLUSPLUS pat0 ARROW expr   # emptyFirst
  | pat0 PLUSPLUS pat0 ARROW expr ALT LBRACE RBRACE ARROW expr   # elemFirst
  ;

tagClause : TAG ARROW expr ;

cond
  : STRING                 # variantCond
  | expr EQ expr           # eqCond
  | expr SUBSET expr       # subsetCond
  | expr IN expr           # inCond
  ;

base
  : base HATINV                                # inverseBase
  | base op=(STAR | PLUS | OPT)                # postfixBase
  | COMP base                                  # complementBase
  | base STAR base                             # cartesianBase
  | <assoc=right> base INTER base              # interBase
  | base DIFF base                             # diffBase
  | <assoc=right> base SEMI base               # seqBase
  | <assoc=right> base PLUSPLUS base           # addBase
  | <assoc=right> base UNION base              # unionBase
  | NAME arg*                                  # appBase
  | simple                                     # simpleBase
  ;

arg : NAME | simple ;

simple
  : ZERO                      # emptySimple
  | TAG                       # tagSimple
  | LBRACE args? RBRACE       # setSimple
  | UNDERSCORE                # universeSimple
  | LPAR expr? RPAR           # parenSimple
  | BEGIN expr END            # beginSimple
  | LBRACK expr RBRACK        # idSimple
  ;

args : base (COMMA base)* ;

// ---------------------------------------------------------------- lexer
LET : 'let' ;  REC : 'rec' ;  AND : 'and' ;  IN : 'in' ;  AS : 'as' ;
FLAG : 'flag' ;  REQUIRES : 'requires' ;  ACYCLIC : 'acyclic' ;  IRREFLEXIVE : 'irreflexive' ;
EMPTYKW : 'empty' ;  SHOW : 'show' ;  UNSHOW : 'unshow' ;  INCLUDE : 'include' ;
PROCEDURE : 'procedure' ;  CALL : 'call' ;  DEBUG : 'debug' ;  FORALL : 'forall' ;  DO : 'do' ;
WITH : 'with' ;  FROM : 'from' ;  INSTRUCTIONS : 'instructions' ;  DEFAULT : 'default' ;
ENUM : 'enum' ;  IF : 'if' ;  THEN : 'then' ;  ELSE : 'else' ;  END : 'end' ;  FUN : 'fun' ;
TRY : 'try' ;  MATCH : 'match' ;  SUBSET : 'subset' ;  BEGIN : 'begin' ;

HATINV : '^-1' ;
ARROW : '->' ;
ALT : '||' ;
UNION : '|' ;
PLUSPLUS : '++' ;
PLUS : '+' ;
STAR : '*' ;
OPT : '?' ;
COMP : '~' ;
SEMI : ';' ;
DIFF : '\\' ;
INTER : '&' ;
EQ : '=' ;
COMMA : ',' ;
LPAR : '(' ;  RPAR : ')' ;  LBRACK : '[' ;  RBRACK : ']' ;  LBRACE : '{' ;  RBRACE : '}' ;
ZERO : '0' ;
UNDERSCORE : '_' ;

NAME : [a-zA-Z_] [a-zA-Z0-9_.\-]* ;
TAG : '\'' [a-zA-Z_] [a-zA-Z0-9_.\-]* ;
STRING : '"' ~["\r\n]* '"' ;

COMMENT : '(*' (COMMENT | .)*? '*)' -> skip ;
LINE_COMMENT : '//' ~[\r\n]* -> skip ;
WS : [ \t\r\n\f]+ -> skip ;
