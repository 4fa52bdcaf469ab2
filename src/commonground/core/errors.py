"""Errors a person reads: a code, a place and the problem, rendered in English or Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Lang = Literal["en", "vi"]

MESSAGES: dict[str, dict[str, str]] = {
    "yaml_syntax": {
        "en": "the file is not valid YAML: {detail}",
        "vi": "tệp không phải YAML hợp lệ: {detail}",
    },
    "json_syntax": {
        "en": "the file is not valid JSON: {detail}",
        "vi": "tệp không phải JSON hợp lệ: {detail}",
    },
    "file_missing": {
        "en": "the file or directory does not exist",
        "vi": "tệp hoặc thư mục không tồn tại",
    },
    "file_unreadable": {
        "en": "the file cannot be read: {detail}",
        "vi": "không đọc được tệp: {detail}",
    },
    "not_a_mapping": {
        "en": "expected a mapping of keys to values here",
        "vi": "ở đây cần một bảng khóa – giá trị",
    },
    "field_missing": {"en": "the field '{field}' is missing", "vi": "thiếu trường '{field}'"},
    "field_unknown": {
        "en": "unknown field '{field}'",
        "vi": "trường '{field}' không được hỗ trợ",
    },
    "type_expected": {
        "en": "expected {kind_name} here, got {value!r}",
        "vi": "ở đây cần {kind_name}, nhưng nhận được {value!r}",
    },
    "field_invalid": {
        "en": "invalid value: {detail}",
        "vi": "giá trị không hợp lệ: {detail}",
    },
    "choice_invalid": {
        "en": "'{value}' is not one of: {choices}",
        "vi": "'{value}' không thuộc các giá trị: {choices}",
    },
    "duplicate_id": {
        "en": "the id '{id}' is defined twice (first in {first})",
        "vi": "mã '{id}' bị định nghĩa hai lần (lần đầu ở {first})",
    },
    "id_topic_mismatch": {
        "en": "the id '{id}' must start with the topic '{topic}.'",
        "vi": "mã '{id}' phải bắt đầu bằng chủ đề '{topic}.'",
    },
    "unknown_datapoint": {
        "en": "unknown data point '{id}'",
        "vi": "không có điểm dữ liệu '{id}' trong danh mục",
    },
    "unknown_parameter": {
        "en": "unknown parameter '{id}'",
        "vi": "không có tham số '{id}' trong thư viện",
    },
    "unknown_topic": {
        "en": "unknown topic '{id}'",
        "vi": "không có chủ đề '{id}' trong danh mục",
    },
    "unknown_training": {
        "en": "unknown training resource '{id}'",
        "vi": "không có tài liệu đào tạo '{id}' trong thư viện",
    },
    "unknown_framework": {
        "en": "unknown framework '{id}'; known: {known}",
        "vi": "không có bộ tiêu chuẩn '{id}'; các bộ hiện có: {known}",
    },
    "unknown_unit": {
        "en": "unknown unit '{unit}'",
        "vi": "đơn vị '{unit}' không xác định",
    },
    "unit_incompatible": {
        "en": "the unit '{unit}' cannot be converted to '{expected}'",
        "vi": "không thể đổi đơn vị '{unit}' sang '{expected}'",
    },
    "unit_money_basis": {
        "en": "'{unit}' is not converted to '{expected}': give the amount per {expected} (a wage per hour "
        "and per month differ by the normal working hours, not by calendar time)",
        "vi": "không tự đổi '{unit}' sang '{expected}': hãy ghi số tiền theo {expected} (lương theo giờ và "
        "theo tháng chênh nhau theo số giờ làm việc bình thường, không theo thời gian lịch)",
    },
    "duplicate_key": {
        "en": "'{key}' is given twice in the same place",
        "vi": "'{key}' được ghi hai lần ở cùng một chỗ",
    },
    "choice_option": {
        "en": "{option} must be one of: {choices} (got '{value}')",
        "vi": "{option} phải là một trong: {choices} (nhận được '{value}')",
    },
    "unit_not_allowed": {
        "en": "this data point has no unit, but '{unit}' was given",
        "vi": "điểm dữ liệu này không có đơn vị, nhưng lại ghi '{unit}'",
    },
    "wrong_type": {
        "en": "expected {type_name}, got '{value}'",
        "vi": "cần {type_name}, nhưng nhận được '{value}'",
    },
    "out_of_range": {
        "en": "{value} is outside the allowed range {low} – {high}{unit}",
        "vi": "{value} nằm ngoài khoảng cho phép {low} – {high}{unit}",
    },
    "unit_twice": {
        "en": "the number is written with '{written}' but the unit given is '{unit}': give one unit",
        "vi": "số được ghi kèm '{written}' nhưng đơn vị đã chọn là '{unit}': chỉ ghi một đơn vị",
    },
    "number_too_long": {
        "en": "a number has at most {max} characters",
        "vi": "một số có tối đa {max} ký tự",
    },
    "number_empty": {
        "en": "write a number, e.g. {group_example} or {decimal_example}",
        "vi": "hãy ghi một số, ví dụ {group_example} hoặc {decimal_example}",
    },
    "not_a_number": {
        "en": "'{text}' is not a number",
        "vi": "'{text}' không phải là một số",
    },
    "number_digits": {
        "en": "'{text}': write the number with the digits 0–9",
        "vi": "'{text}': hãy ghi số bằng các chữ số 0–9",
    },
    "number_malformed": {
        "en": "'{text}' is not a well-written number: write e.g. {group_example} or {decimal_example} "
        "({group_mark} or a space between groups of three digits, {decimal_mark} before the decimals)",
        "vi": "'{text}' không phải là một số viết đúng: hãy viết ví dụ {group_example} hoặc "
        "{decimal_example} ({group_mark} hoặc khoảng trắng nhóm hàng nghìn theo ba chữ số, {decimal_mark} "
        "ngăn phần thập phân)",
    },
    "number_convention": {
        "en": "'{text}' is not how a number is written here: write {suggestion} ({group_mark} or a space "
        "between thousands, {decimal_mark} before the decimals)",
        "vi": "'{text}' không đúng cách viết số ở đây: hãy viết {suggestion} ({group_mark} hoặc khoảng trắng "
        "nhóm hàng nghìn, {decimal_mark} ngăn phần thập phân)",
    },
    "number_convention_or": {
        "en": "'{text}' is not how a number is written here: write {suggestion} ({decimal_mark} before the "
        "decimals) or {thousands} for thousands ({group_mark} or a space between thousands)",
        "vi": "'{text}' không đúng cách viết số ở đây: hãy viết {suggestion} ({decimal_mark} ngăn phần thập "
        "phân) hoặc {thousands} nếu là hàng nghìn ({group_mark} hoặc khoảng trắng nhóm hàng nghìn)",
    },
    "number_too_large": {
        "en": "'{text}' is too large or too small for a quantity",
        "vi": "'{text}' quá lớn hoặc quá nhỏ để là một đại lượng",
    },
    "option_unknown": {
        "en": "'{value}' is not an option; choose from: {choices}",
        "vi": "'{value}' không phải là lựa chọn hợp lệ; hãy chọn trong: {choices}",
    },
    "rule_invalid": {
        "en": "invalid rule: {detail}",
        "vi": "quy tắc không hợp lệ: {detail}",
    },
    "rule_op_type": {
        "en": "the operator '{op}' cannot be used with the {type} data point '{id}'",
        "vi": "không dùng được toán tử '{op}' với điểm dữ liệu kiểu {type} '{id}'",
    },
    "rule_value_type": {
        "en": "the constant {value!r} does not suit the {type} data point '{id}'",
        "vi": "hằng số {value!r} không phù hợp với điểm dữ liệu kiểu {type} '{id}'",
    },
    "param_unit_mismatch": {
        "en": "the parameter '{param}' is in '{unit}', which does not match '{expected}' of '{id}'",
        "vi": "tham số '{param}' có đơn vị '{unit}', không khớp với '{expected}' của '{id}'",
    },
    "param_key_invalid": {
        "en": "the key data point '{id}' must be an enum",
        "vi": "điểm dữ liệu khóa '{id}' phải có kiểu lựa chọn (enum)",
    },
    "param_rows_order": {
        "en": "rows must be in date order and must not overlap",
        "vi": "các dòng phải theo thứ tự ngày và không được chồng lấn",
    },
    "level_without_section": {
        "en": "a requirement with a level must name its section",
        "vi": "yêu cầu có cấp độ phải ghi rõ thuộc phần nào",
    },
    "unknown_section": {
        "en": "unknown section '{id}'",
        "vi": "không có phần '{id}' trong bộ tiêu chuẩn",
    },
    "period_invalid": {
        "en": "the period must give 'start' and 'end' dates, start not after end",
        "vi": "kỳ đánh giá phải có ngày 'start' và 'end', ngày bắt đầu không sau ngày kết thúc",
    },
    "date_invalid": {
        "en": "'{value}' is not a date (use YYYY-MM-DD)",
        "vi": "'{value}' không phải là ngày (dùng định dạng YYYY-MM-DD)",
    },
    "no_frameworks": {
        "en": "no framework was found in the library",
        "vi": "không tìm thấy bộ tiêu chuẩn nào trong thư viện",
    },
}

# What was expected, by data point type (and a few shapes a library file can get wrong).
KIND_WORDS: dict[str, dict[str, str]] = {
    "boolean": {"en": "true or false", "vi": "đúng hoặc sai (true/false)"},
    "integer": {"en": "a whole number", "vi": "một số nguyên"},
    "decimal": {"en": "a number", "vi": "một số"},
    "enum": {"en": "one option", "vi": "một lựa chọn"},
    "multi-enum": {"en": "a list of options", "vi": "một danh sách lựa chọn"},
    "date": {"en": "a date (YYYY-MM-DD)", "vi": "một ngày (YYYY-MM-DD)"},
    "text": {"en": "text", "vi": "văn bản"},
    "mapping": {"en": "a mapping of keys to values", "vi": "một bảng khóa – giá trị"},
    "list": {"en": "a list", "vi": "một danh sách"},
    "non_empty": {"en": "at least one item", "vi": "ít nhất một mục"},
}


def _in_lang(value: Any, lang: Lang) -> Any:
    """A parameter as the reader reads it: numbers in their convention (1e300, not 300 digits), and
    anything with an `in_lang` (a unit) in their words."""
    from .numbers import readable

    if isinstance(value, float):
        return readable(value, lang)
    in_lang = getattr(value, "in_lang", None)
    return in_lang(lang) if callable(in_lang) else value


@dataclass(frozen=True)
class Problem:
    """One problem in one place: `file:line: where: what`."""

    code: str
    file: str = ""
    line: int | None = None
    where: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: Lang = "en") -> str:
        template = MESSAGES[self.code][lang]
        params = {key: _in_lang(value, lang) for key, value in self.params.items()}
        for key, name in (("type", "type_name"), ("kind", "kind_name")):
            if key in params:
                params[name] = KIND_WORDS.get(params[key], {}).get(lang, params[key])
        return template.format(**params)

    def render(self, lang: Lang = "en") -> str:
        place = self.file
        if self.line is not None:
            place = f"{place}:{self.line}" if place else f"line {self.line}"
        parts = [p for p in (place, self.where) if p]
        return ": ".join([*parts, self.message(lang)])


class CommonGroundError(Exception):
    """Raised with one or more problems; the CLI renders them in the user's language."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(self.render("en"))

    def render(self, lang: Lang = "en") -> str:
        return "\n".join(p.render(lang) for p in self.problems)


def fail(
    code: str, *, file: str = "", line: int | None = None, where: str = "", **params: Any
) -> CommonGroundError:
    """Build an error with a single problem (to `raise fail(...)`)."""
    return CommonGroundError([Problem(code, file, line, where, params)])
