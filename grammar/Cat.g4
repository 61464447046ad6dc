// herd's cat language (models, bell files, and the small library files they include).
// Operator binding, tightest first: ^-1, postfix * + ?, prefix ~, binary * (cartesian product), &, \, ;, ++, |.
//
// Written for speed (paddock parses the kernel's model files in every process): almost every decision is LL(1),
// so that the generated parser switches on the next token instead of running ANTLR's adaptive prediction, which
// starts cold in each process. In particular `base` is a flat list of operands and operators that src/cat/parse.cpp
// arranges by precedence; the only non-LL(1) decisions left are `binding`, `show`, `match` clauses and whether a
// `*` has a right operand (cartesian product) or not (postfix closure). src/cat/parse.cpp dispatches on the first
// token of each rule rather than on labelled alternatives, and lexes with a hand-written equivalent of the lexer
// below (falling back to it for anything unusual).
grammar Cat;

model : header? instruction* EOF ;

// An optional model name (herd: a bare name and/or a string before the first instruction).
header : (NAME | STRING) (NAME | STRING)? ;

instruction
  : LET REC? bindings IN?
  | (FLAG | REQUIRES)? checkTest expr (AS NAME)?
  | SHOW (expr AS NAME | NAME (COMMA NAME)*)
  | UNSHOW NAME (COMMA NAME)*
  | INCLUDE STRING
  | PROCEDURE REC? NAME (LPAR formals? RPAR | pat0) EQ instruction* END
  | CALL NAME simple (AS NAME)?
  | DEBUG expr
  | FORALL NAME IN expr DO instruction* END
  | WITH NAME FROM expr
  | INSTRUCTIONS NAME LBRACK args? RBRACK
  | DEFAULT NAME LBRACK args? RBRACK
  | ENUM NAME EQ ALT? TAG (ALT TAG)*
  | IF cond THEN? thenIns+=instruction* (ELSE elseIns+=instruction*)? END
  ;

checkTest : COMP? (ACYCLIC | IRREFLEXIVE | EMPTYKW) ;

bindings : binding (AND binding)* ;

// f x = e | f(x, y) = e | (x, y) = e | x, y = e
binding
  : NAME pat0 EQ expr
  | NAME LPAR formals? RPAR EQ expr
  | LPAR formals? RPAR EQ expr
  | formals EQ expr
  ;

formals : pat0 (COMMA pat0)* ;
pat0 : NAME | UNDERSCORE ;

expr
  : LET REC? bindings IN expr
  | FUN (pat0 | LPAR formals? RPAR) ARROW expr
  | TRY expr WITH expr
  | IF cond THEN expr ELSE expr
  | MATCH expr WITH ALT? matchClauses END
  | base (COMMA base)*
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

// STRING: a variant; otherwise a comparison (=, subset, in).
cond : STRING | expr (EQ | SUBSET | IN) expr ;

// Operands with their prefix complements, postfix operators and binary operators, in source order. A `*` followed
// by an operand is the cartesian product, otherwise the reflexive-transitive closure of what precedes it.
base
  : COMP* atom
    ( HATINV | PLUS | OPT
    | STAR (COMP* atom)?
    | (INTER | DIFF | SEMI | PLUSPLUS | UNION) COMP* atom
    )*
  ;

// A name applied to arguments (curried), or a simple expression.
atom : NAME arg* | simple ;

arg : NAME | simple ;

simple
  : ZERO
  | TAG
  | LBRACE args? RBRACE
  | UNDERSCORE
  | LPAR expr? RPAR
  | BEGIN expr END
  | LBRACK expr RBRACK
  ;

args : base (COMMA base)* ;

// ---------------------------------------------------------------- lexer
// src/cat/parse.cpp lexes with a hand-written equivalent of these rules (tests/cat/lexer_test.cpp compares them).
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
