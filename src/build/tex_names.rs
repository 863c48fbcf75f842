//! Common TeX math commands, for a did-you-mean when a formula names one
//! no translator knows (`\fracc` → `\frac`). Not a whitelist: a command
//! missing here that a translator knows is typeset all the same.

pub(super) const COMMON: &[&str] = &[
    // Structures.
    "frac", "dfrac", "tfrac", "cfrac", "sqrt", "binom", "dbinom", "tbinom", "left", "right", "middle", "big", "Big", "bigg", "Bigg",
    "overline", "underline", "overbrace", "underbrace", "overset", "underset", "stackrel", "hat", "widehat", "tilde", "widetilde",
    "bar", "vec", "dot", "ddot", "acute", "grave", "check", "breve", "mathring", "boxed", "cancel", "not", "text", "textbf", "textit",
    "textrm", "mathrm", "mathbf", "mathit", "mathsf", "mathtt", "mathcal", "mathbb", "mathfrak", "mathscr", "boldsymbol",
    "operatorname", "displaystyle", "textstyle", "scriptstyle", "quad", "qquad", "begin", "end", "limits", "nolimits", "substack",
    "color", "phantom", "hspace", "mathop",
    // Big operators and functions.
    "sum", "prod", "coprod", "int", "iint", "iiint", "oint", "bigcup", "bigcap", "bigoplus", "bigotimes", "lim", "limsup", "liminf",
    "max", "min", "sup", "inf", "arg", "argmax", "argmin", "det", "exp", "log", "ln", "lg", "sin", "cos", "tan", "cot", "sec", "csc",
    "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "Pr", "gcd", "deg", "dim", "ker", "hom", "mod", "bmod", "pmod",
    // Relations and operators.
    "leq", "le", "geq", "ge", "neq", "ne", "approx", "equiv", "sim", "simeq", "cong", "propto", "ll", "gg", "subset", "supset",
    "subseteq", "supseteq", "in", "notin", "ni", "cup", "cap", "setminus", "times", "div", "cdot", "pm", "mp", "ast", "star",
    "circ", "bullet", "oplus", "ominus", "otimes", "wedge", "vee", "land", "lor", "lnot", "neg", "forall", "exists", "nexists",
    "partial", "nabla", "infty", "emptyset", "varnothing", "to", "rightarrow", "leftarrow", "Rightarrow", "Leftarrow",
    "leftrightarrow", "Leftrightarrow", "mapsto", "implies", "iff", "uparrow", "downarrow", "mid", "parallel", "perp", "angle",
    "ldots", "cdots", "vdots", "ddots", "dots", "prime", "degree", "therefore", "because",
    // Delimiters.
    "langle", "rangle", "lfloor", "rfloor", "lceil", "rceil", "lvert", "rvert", "lVert", "rVert", "vert", "Vert",
    // Greek.
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa", "lambda", "mu",
    "nu", "xi", "pi", "varpi", "rho", "varrho", "sigma", "varsigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega",
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
];
