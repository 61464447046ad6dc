// Tokens of herd's C litmus dialect and of the .def macro table.
// The lexer starts in a header mode (test name and metadata are free-form words) and switches
// to C tokens at the first '{'. A .def table is lexed from mode CODE directly.
lexer grammar LitmusCLexer;

// herd splits a test at the first condition keyword; from there on `(*` always opens a comment.
@lexer::members {
bool in_condition = false;
}

// Header mode is the default mode: the file starts with `C NAME`.
H_WS      : [ \t\r\n]+ -> skip ;
H_COMMENT : '(*' .*? '*)' -> skip ;
H_STRING  : '"' ~["]* '"' ;
H_LBRACE  : '{' -> mode(CODE) ;
H_WORD    : ~[ \t\r\n{"]+ ;

mode CODE;
WS            : [ \t\r\n]+ -> skip ;
LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
// `(*` needs a blank or `*` after it, so that `(*x)` in code stays an expression.
ML_COMMENT    : ('(*' [ \t\r\n*] .*? '*)' | {in_condition}? '(*' .*? '*)') -> skip ;

IF        : 'if' ;
ELSE      : 'else' ;
WHILE     : 'while' ;
VOID      : 'void' ;
STRUCT    : 'struct' ;
EXISTS    : 'exists' { in_condition = true; } ;
FORALL    : 'forall' { in_condition = true; } ;
FINAL     : 'final' { in_condition = true; } ;
LOCATIONS : 'locations' { in_condition = true; } ;
FILTER    : 'filter' { in_condition = true; } ;
NOT       : 'not' ;
STRING    : '"' ~["\r\n]* '"' ;  // assembly code values: instr:"B .+4"
TRUE      : 'true' ;
FALSE     : 'false' ;
TYPEWORD
    : 'int' | 'long' | 'short' | 'char' | 'unsigned' | 'signed' | 'const' | 'volatile' | 'bool' | '_Bool'
    | 'u8' | 'u16' | 'u32' | 'u64' | 's8' | 's16' | 's32' | 's64' | '_Atomic'
    | [a-zA-Z_] [a-zA-Z_0-9]* '_t'
    ;

CONJ      : '/\\' ;
DISJ      : '\\/' ;
IMPLIES   : '=>' | '->' ;
SHL       : '<<' ;
SHR       : '>>' ;
LE        : '<=' ;
GE        : '>=' ;
EQ        : '==' ;
NE        : '!=' ;
ANDAND    : '&&' ;
OROR      : '||' ;
LT        : '<' ;
GT        : '>' ;
ASSIGN    : '=' ;
PLUS      : '+' ;
MINUS     : '-' ;
STAR      : '*' ;
DIV       : '/' ;
MOD       : '%' ;
AMP       : '&' ;
PIPE      : '|' ;
CARET     : '^' ;
TILDE     : '~' ;
BANG      : '!' ;
QUESTION  : '?' ;
COLON     : ':' ;
SEMI      : ';' ;
COMMA     : ',' ;
LPAREN    : '(' ;
RPAREN    : ')' ;
LBRACE    : '{' ;
RBRACE    : '}' ;
LBRACKET  : '[' ;
RBRACKET  : ']' ;
HEX       : '0' [xX] [0-9a-fA-F]+ ;
INT       : [0-9]+ ;
ID        : [a-zA-Z_] [a-zA-Z_0-9]* ;
ANY       : . ;
