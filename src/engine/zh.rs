//! Rhai's error messages in Chinese, for the finance staff who edit rules:
//! what went wrong in their words ("不能对 整数 和 文本 做减法", "找不到函数
//! no_such_helper（参数：整数）", "语法错误：此处缺少表达式"), with Rhai's
//! own English kept in brackets for whoever searches its documentation.

use rhai::{EvalAltResult, LexError, ParseErrorType};

/// A Rhai type name (as Rhai prints it in a signature) in Chinese.
fn type_zh(t: &str) -> String {
    let t = t.trim();
    let name = match t {
        "i64" | "i32" | "INT" | "integer" => "整数",
        "f64" | "f32" | "FLOAT" | "float" | "decimal" => "小数",
        "bool" => "布尔值",
        "char" => "字符",
        "&str | ImmutableString | String" | "string" | "String" | "ImmutableString" | "&str" => {
            "文本"
        }
        "array" | "Array" | "Vec<Dynamic>" => "数组",
        "map" | "Map" | "object map" => "对象映射",
        "()" | "unit" => "空值（不存在的值）",
        "Fn" | "FnPtr" => "函数指针",
        "range" | "Range<i64>" | "RangeInclusive<i64>" => "范围",
        "timestamp" | "Instant" => "时间戳",
        "blob" | "Blob" => "字节数组",
        other => return other.to_string(),
    };
    name.to_string()
}

/// What an operator does, as "做减法" says it.
fn operation(op: &str) -> Option<&'static str> {
    Some(match op {
        "+" | "+=" => "加法",
        "-" | "-=" => "减法",
        "*" | "*=" => "乘法",
        "/" | "/=" => "除法",
        "%" | "%=" => "取余",
        "**" | "**=" => "乘方",
        "==" | "!=" => "相等比较",
        "<" | ">" | "<=" | ">=" => "大小比较",
        "&" | "|" | "^" | "&=" | "|=" | "^=" => "位运算",
        "<<" | ">>" | "<<=" | ">>=" => "移位",
        "&&" | "||" => "逻辑运算",
        _ => return None,
    })
}

/// A function-not-found signature (`- (i64, &str | ImmutableString |
/// String)`, `no_such_helper (i64)`) in Chinese.
fn not_found(signature: &str) -> String {
    let (name, args) = match signature.split_once(" (") {
        Some((n, rest)) => (n.trim(), rest.trim_end_matches(')')),
        None => (signature.trim(), ""),
    };
    let types: Vec<String> = if args.trim().is_empty() {
        Vec::new()
    } else {
        split_types(args).into_iter().map(type_zh).collect()
    };
    match (operation(name), types.as_slice()) {
        (Some(op), [a, b]) => format!("不能对 {a} 和 {b} 做{op}"),
        (Some(_), [a]) if name == "-" => format!("不能对 {a} 取负"),
        _ if name == "index$get$" || name == "index$set$" => {
            format!("不能用下标访问（{}）", types.join("、"))
        }
        _ if types.is_empty() => format!("找不到函数 {name}（无参数）"),
        _ => format!("找不到函数 {name}（参数：{}）", types.join("、")),
    }
}

/// The types of a signature's argument list, split at the commas that are
/// not inside a type (`&str | ImmutableString | String` is one).
fn split_types(args: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in args.char_indices() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&args[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&args[start..]);
    out
}

fn lex(e: &LexError) -> String {
    match e {
        LexError::UnexpectedInput(s) => format!("此处不应出现“{s}”"),
        LexError::UnterminatedString => "字符串缺少结束的引号".into(),
        LexError::StringTooLong(max) => format!("字符串过长（上限 {max}）"),
        LexError::MalformedEscapeSequence(s) => format!("转义序列“{s}”无效"),
        LexError::MalformedNumber(s) => format!("数字“{s}”的写法有误"),
        LexError::MalformedChar(s) => format!("字符“{s}”的写法有误"),
        LexError::MalformedIdentifier(s) => format!("名称“{s}”不能用作变量名"),
        LexError::ImproperSymbol(s, _) => format!("此处不能使用符号“{s}”"),
        _ => "此处有无法识别的内容".into(),
    }
}

/// A syntax error in Chinese.
pub fn parse(e: &ParseErrorType) -> String {
    let what = match e {
        ParseErrorType::UnexpectedEOF => "脚本不完整，在结尾处中断（缺少右括号或后半句？）".into(),
        ParseErrorType::BadInput(l) => lex(l),
        ParseErrorType::UnknownOperator(s) => format!("未知的运算符“{s}”"),
        ParseErrorType::MissingToken(t, _) => format!("此处缺少“{t}”"),
        ParseErrorType::MissingSymbol(_) => "此处缺少符号".into(),
        ParseErrorType::MalformedIndexExpr(_) => "下标写法有误".into(),
        ParseErrorType::MalformedCapture(_) => "闭包捕获写法有误".into(),
        ParseErrorType::DuplicatedProperty(s) => format!("对象映射中的键“{s}”重复"),
        ParseErrorType::DuplicatedVariable(s) => format!("变量名“{s}”重复"),
        ParseErrorType::WrongSwitchIntegerCase
        | ParseErrorType::WrongSwitchDefaultCase
        | ParseErrorType::WrongSwitchCaseCondition => "switch 的分支写法有误".into(),
        ParseErrorType::PropertyExpected => "此处应为属性名".into(),
        ParseErrorType::VariableExpected => "此处应为变量名".into(),
        ParseErrorType::ForbiddenVariable(s) => format!("不能使用变量名“{s}”"),
        ParseErrorType::Reserved(s) => format!("“{s}”是保留字，不能在此使用"),
        ParseErrorType::MismatchedType(r, a) => {
            format!("此处应为{}，而不是{}", type_zh(r), type_zh(a))
        }
        ParseErrorType::ExprExpected(_) => "此处缺少表达式".into(),
        ParseErrorType::WrongDocComment => "文档注释（///）后面必须紧跟函数定义".into(),
        ParseErrorType::WrongFnDefinition => {
            "函数只能在脚本的最外层定义，不能写在代码块或其他函数里".into()
        }
        ParseErrorType::FnDuplicatedDefinition(s, n) => format!("函数 {s}（{n} 个参数）重复定义"),
        ParseErrorType::FnMissingName => "函数定义缺少函数名".into(),
        ParseErrorType::FnMissingParams(s) => format!("函数 {s} 缺少参数列表"),
        ParseErrorType::FnDuplicatedParam(s, a) => format!("函数 {s} 的参数 {a} 重复"),
        ParseErrorType::FnMissingBody(s) => format!("函数 {s} 缺少函数体"),
        ParseErrorType::WrongExport => "export 只能用在脚本最外层".into(),
        ParseErrorType::AssignmentToConstant(s) if s.is_empty() => "不能给常量赋值".into(),
        ParseErrorType::AssignmentToConstant(s) => {
            format!("不能给常量 {s} 赋值（report 和 params 是只读的）")
        }
        ParseErrorType::AssignmentToInvalidLHS(_) => "等号左边不能被赋值".into(),
        ParseErrorType::VariableExists(s) => format!("变量 {s} 已经定义"),
        ParseErrorType::VariableUndefined(s) => format!("未定义的变量 {s}"),
        ParseErrorType::ModuleUndefined(s) => format!("未定义的模块 {s}"),
        ParseErrorType::ExprTooDeep => "表达式嵌套过深".into(),
        ParseErrorType::TooManyFunctions => "定义的函数过多".into(),
        ParseErrorType::LiteralTooLarge(_, max) => format!("字面量过大（上限 {max}）"),
        ParseErrorType::LoopBreak => "break 只能用在循环里".into(),
        _ => "写法有误".into(),
    };
    format!("语法错误：{what}（{e}）")
}

/// A run-time error in Chinese (limits and thrown messages are worded by
/// the caller).
pub fn runtime(e: &EvalAltResult) -> String {
    let english = || {
        let mut t = e.to_string();
        if let Some(i) = t.rfind(" (line ") {
            t.truncate(i);
        }
        t
    };
    let what = match e {
        EvalAltResult::ErrorParsing(p, _) => return parse(p),
        EvalAltResult::ErrorInFunctionCall(name, _, inner, _) => {
            return format!("在函数 {name} 中：{}", runtime(inner));
        }
        EvalAltResult::ErrorFunctionNotFound(sig, _) => not_found(sig),
        EvalAltResult::ErrorVariableNotFound(s, _) => format!("未定义的变量 {s}"),
        EvalAltResult::ErrorVariableExists(s, _) => format!("变量 {s} 已经定义"),
        EvalAltResult::ErrorForbiddenVariable(s, _) => format!("不能使用变量名“{s}”"),
        EvalAltResult::ErrorPropertyNotFound(s, _) => {
            format!("没有属性 {s}（不一定存在的值先用 \"{s}\" in … 判断）")
        }
        EvalAltResult::ErrorIndexNotFound(k, _) => format!("没有键 {k}"),
        EvalAltResult::ErrorModuleNotFound(s, _) => format!("未定义的模块 {s}"),
        EvalAltResult::ErrorUnboundThis(_) => "this 没有绑定".into(),
        EvalAltResult::ErrorMismatchDataType(r, a, _) => {
            format!("类型不符：应为{}，实际是{}", type_zh(r), type_zh(a))
        }
        EvalAltResult::ErrorMismatchOutputType(r, a, _) => {
            format!("结果的类型应为{}，实际是{}", type_zh(r), type_zh(a))
        }
        EvalAltResult::ErrorIndexingType(t, _) => format!("{}不能用下标访问", type_zh(t)),
        EvalAltResult::ErrorArrayBounds(len, i, _) => {
            format!("数组下标 {i} 越界（数组只有 {len} 项）")
        }
        EvalAltResult::ErrorStringBounds(len, i, _) => {
            format!("字符串下标 {i} 越界（只有 {len} 个字符）")
        }
        EvalAltResult::ErrorBitFieldBounds(len, i, _) => format!("位下标 {i} 越界（共 {len} 位）"),
        EvalAltResult::ErrorFor(_) => "for 循环的对象不能逐项遍历".into(),
        EvalAltResult::ErrorDataRace(s, _) => {
            format!("共享值 {s} 冲突（闭包不要捕获 report 或 params，改用 for 循环）")
        }
        EvalAltResult::ErrorNonPureMethodCallOnConstant(s, _) => {
            format!("不能在只读的值上调用会修改它的方法 {s}")
        }
        EvalAltResult::ErrorAssignmentToConstant(s, _) => {
            format!("不能给常量 {s} 赋值（report 和 params 是只读的）")
        }
        EvalAltResult::ErrorDotExpr(..) => "属性访问出错".into(),
        EvalAltResult::ErrorArithmetic(s, _) if s.contains("zero") => "除数为 0".into(),
        EvalAltResult::ErrorArithmetic(..) => "算术运算出错（溢出或无效的运算）".into(),
        EvalAltResult::ErrorDataTooLarge(..) => "数据过大".into(),
        EvalAltResult::ErrorTooManyOperations(_) => "运算次数超过上限".into(),
        EvalAltResult::ErrorStackOverflow(_) => "函数调用层数过多".into(),
        EvalAltResult::ErrorTerminated(..) => "已被停止".into(),
        EvalAltResult::LoopBreak(..) => "break 或 continue 用在了循环之外".into(),
        EvalAltResult::Return(..) | EvalAltResult::Exit(..) => "意外的返回".into(),
        _ => "运行出错".into(),
    };
    format!("{what}（{}）", english())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_and_functions_are_said_in_chinese() {
        assert_eq!(
            not_found("- (i64, &str | ImmutableString | String)"),
            "不能对 整数 和 文本 做减法"
        );
        assert_eq!(
            not_found("no_such_helper (i64)"),
            "找不到函数 no_such_helper（参数：整数）"
        );
        assert_eq!(not_found("f ()"), "找不到函数 f（无参数）");
        assert_eq!(not_found("- (array)"), "不能对 数组 取负");
        assert_eq!(
            not_found("join (array, map, f64)"),
            "找不到函数 join（参数：数组、对象映射、小数）"
        );
    }
}
