// Parser for herd's C litmus dialect as the kernel community writes it, plus the macro-table (.def) format.
// The lexer starts in a header mode (test name and metadata are free-form words) and switches
// to C tokens at the first '{'.
parser grammar LitmusCParser;

options { tokenVocab = LitmusCLexer; }

// ---------------------------------------------------------------- test file

file
    : header initBlock thread* condSection EOF
    ;

header
    : arch=H_WORD name=H_WORD? (docs+=H_STRING | meta+=H_WORD)*
    ;

initBlock
    : H_LBRACE SEMI* (initEntry (SEMI+ initEntry)* SEMI*)? RBRACE
    ;

initEntry
    : typeSpec? stars+=STAR* initLoc (LBRACKET size=INT RBRACKET)? (ASSIGN initValue)?
    ;

initLoc
    : tid=INT COLON reg=ident         # regLoc
    | ident                              # globalLoc
    | LBRACKET ident RBRACKET            # bracketGlobalLoc   // [x]=1, as herd's state parser allows
    | MOD ident                          # symRegLoc          // assembly: %r, a symbolic register
    ;

initValue
    : MINUS? num=(INT | HEX)             # intValue
    | AMP? ident (LBRACKET cell=INT RBRACKET)?   # addrValue   // 0:X0=x[1]: the address of a cell
    | ident LPAREN initValue RPAREN      # wrappedValue   // ATOMIC_INIT(1)
    | proc=ident COLON lbl=ident         # labelValue     // assembly: 0:X1=P1:L0, a code address
    | kind=ident COLON STRING            # codeValue      // assembly: instr:"B .+4", label:"P0:L0"
    | LBRACE (arrayItem (COMMA arrayItem)*)? RBRACE   # arrayValue   // int64_t t[2]={1,-1}
    ;

arrayItem
    : MINUS? num=(INT | HEX)
    ;

thread
    : VOID? name=ID LPAREN (param (COMMA param)*)? RPAREN block
    ;

param
    : typeSpec stars+=STAR* ident
    ;

// Type words: keywords, `struct tag`, and any identifier ending in _t.
typeSpec
    : (TYPEWORD | VOID | STRUCT ident)+
    ;

// ---------------------------------------------------------------- statements
block
    : LBRACE stmt* RBRACE
    ;

stmt
    : block                                                  # blockStmt
    | typeSpec stars+=STAR* declarator (COMMA declarator)* SEMI  # declStmt
    | IF LPAREN expr RPAREN stmt (ELSE stmt)?                # ifStmt
    | WHILE LPAREN expr RPAREN stmt                          # whileStmt
    // One alternative for `e;` and `lhs = rhs;` (rhs present), so that choosing a statement needs one token of
    // lookahead instead of a scan to the '=' or ';' (costly in every process: ANTLR's prediction starts cold).
    | lhs=expr (ASSIGN rhs=expr)? SEMI                       # exprStmt
    | SEMI                                                   # emptyStmt
    ;

declarator
    : STAR* ident (ASSIGN expr)?
    ;

// Precedence, tightest first (C's order).
expr
    : LPAREN castType RPAREN expr                            # castExpr
    | name=ident LBRACE tag RBRACE (LPAREN args? RPAREN)?    # primExpr
    | name=ident LPAREN args? RPAREN                         # callExpr
    | op=(MINUS | BANG | TILDE | STAR | AMP) expr            # unaryExpr
    | expr op=(STAR | DIV | MOD) expr                        # binExpr
    | expr op=(PLUS | MINUS) expr                            # binExpr
    | expr op=(SHL | SHR) expr                               # binExpr
    | expr op=(LT | GT | LE | GE) expr                       # binExpr
    | expr op=(EQ | NE) expr                                 # binExpr
    | expr op=AMP expr                                       # binExpr
    | expr op=CARET expr                                     # binExpr
    | expr op=PIPE expr                                      # binExpr
    | expr op=ANDAND expr                                    # binExpr
    | expr op=OROR expr                                      # binExpr
    | expr QUESTION expr COLON expr                          # condExpr
    | LPAREN expr RPAREN                                     # parenExpr
    | num=(INT | HEX)                                        # intExpr
    | ident                                                  # varExpr
    ;

castType
    : typeSpec STAR*
    ;

args
    : arg (COMMA arg)*
    ;

// An operator argument appears in the .def table: __atomic_op{MB}(X,&~,V).
arg
    : expr
    | opArg
    ;

opArg
    : PLUS | MINUS | AMP | PIPE | CARET | AMP TILDE | STAR | DIV
    ;

// Annotation inside braces: ONCE, before-atomic, rcu-lock, sync-srcu ...
tag
    : ident (MINUS ident)*
    ;

// Condition keywords are still valid C identifiers inside code.
ident
    : ID | EXISTS | FORALL | FINAL | LOCATIONS | FILTER | NOT | TRUE | FALSE
    ;

// ---------------------------------------------------------------- condition section
condSection
    : locationsClause? filterClause? condition?
    ;

locationsClause
    : LOCATIONS LBRACKET (location typeSpec? SEMI?)* RBRACKET
    ;

filterClause
    : FILTER prop
    ;

condition
    : quant=(EXISTS | FORALL | FINAL) prop SEMI?
    | neg=TILDE EXISTS prop SEMI?
    ;

prop
    : LPAREN prop RPAREN                  # parenProp
    | (TILDE | NOT) prop                  # notProp
    | <assoc = right> prop IMPLIES prop   # impProp
    | prop CONJ prop                      # andProp
    | prop DISJ prop                      # orProp
    | TRUE                                # trueProp
    | FALSE                               # falseProp
    | ident op=(ASSIGN | EQ) LBRACE (arrayItem (COMMA arrayItem)*)? RBRACE   # arrayProp   // x={1,2}: every cell
    | location (op=(ASSIGN | EQ | NE) | ne2=LT GT) value   # atomProp   // `<>` is herd's `!=` too
    | f=ident LPAREN proc=ident COLON lbl=ident (COMMA kind=ident)? RPAREN   # faultProp   // assembly: Fault(P0:L0,UndefinedInstruction)
    ;

location
    : tid=INT COLON ident              # regLocation
    | ident LBRACKET cell=INT RBRACKET      # cellLocation   // v[1]=44: an array cell
    | STAR? ident                         # memLocation
    | LBRACKET ident RBRACKET             # bracketLocation
    ;

value
    : tid=INT COLON ident      // another register: 0:r1=1:r2
    | MINUS? num=(INT | HEX)
    | kind=ident COLON STRING  // assembly: instr:"B .+4", label:"P0:L0"
    | ident
    ;

// ---------------------------------------------------------------- .def macro table
defFile
    : defEntry* EOF
    ;

defEntry
    : name=ident LPAREN (ident (COMMA ident)*)? RPAREN (block | expr)
    ;

