//! The data crate's error type: one enum whose messages say what went wrong and where (file,
//! line, column), so a student can fix the input without reading the source.

use thiserror::Error;

/// Everything loading, generating, scaling or splitting data can refuse.
#[derive(Debug, Error)]
pub enum DataError {
    // --- generator ---
    #[error("generator: {field} {reason}")]
    InvalidGenerator { field: &'static str, reason: String },
    #[error("invalid range '{text}': {reason} (expected \"lo,hi\" for [lo, hi), e.g. \"0,5\" or \"-50,50\")")]
    InvalidRange { text: String, reason: String },
    #[error("unknown distribution '{name}' (expected uniform, normal or skewed)")]
    UnknownDistribution { name: String },
    #[error("unknown generated data 'generate:{name}' (expected generate, or generate: followed by {expected})")]
    UnknownPattern { name: String, expected: String },

    // --- feature crosses ---
    #[error("--features item '{item}': {reason}")]
    InvalidFeature { item: String, reason: String },

    // --- sources ---
    #[error("unknown built-in data set '{name}' (available: {available})")]
    UnknownBuiltin { name: String, available: String },
    #[error("empty data source: expected 'generate', 'builtin:NAME' or the path of a CSV file")]
    EmptySource,

    // --- CSV files ---
    #[error("cannot read '{file}': {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read '{file}': it is larger than the limit of {limit} bytes (1 GiB) for a data file")]
    FileTooLarge { file: String, limit: u64 },
    #[error("cannot read '{file}': the record starting on line {line} is longer than the limit of {limit} bytes (16 MiB)")]
    RecordTooLong { file: String, line: u64, limit: u64 },
    #[error("{file} line {line}: {message}")]
    Csv {
        file: String,
        line: u64,
        message: String,
    },
    #[error("{file} is empty: expected a header line with column names")]
    EmptyFile { file: String },
    #[error("{file} has a header line but no data rows")]
    NoDataRows { file: String },
    #[error("{file}: all {rows} data rows were skipped; the first: {first}")]
    AllRowsSkipped {
        file: String,
        rows: usize,
        first: String,
    },
    #[error(
        "{file}: column name '{column}' appears twice in the header (columns {first} and {second})"
    )]
    DuplicateColumn {
        file: String,
        column: String,
        first: usize,
        second: usize,
    },
    #[error("{file}: no column named '{column}' (the columns are: {available})")]
    UnknownColumn {
        file: String,
        column: String,
        available: String,
    },
    #[error("{file}: no input columns chosen (the columns are: {available})")]
    NoInputs { file: String, available: String },
    #[error("{file}: no target column chosen (the columns are: {available})")]
    NoTarget { file: String, available: String },
    #[error(
        "{file}: column '{column}' is chosen twice (each column can be one input or the target)"
    )]
    ColumnChosenTwice { file: String, column: String },
    #[error(
        "{file} line {line}: expected {expected} fields (one per header column) but found {found}"
    )]
    WrongFieldCount {
        file: String,
        line: u64,
        expected: usize,
        found: usize,
    },
    #[error("{file} line {line}, column '{column}': the value is missing")]
    MissingValue {
        file: String,
        line: u64,
        column: String,
    },
    #[error("{file} line {line}, column '{column}': '{value}' is not a number")]
    NotANumber {
        file: String,
        line: u64,
        column: String,
        value: String,
    },
    #[error("{file} line {line}, column '{column}': '{value}' is not a finite number")]
    NotFinite {
        file: String,
        line: u64,
        column: String,
        value: String,
    },

    // --- class targets ---
    #[error("the target '{column}' (--target) holds {value} in data row {row}: the class labels of a cross-entropy --loss must be integers or text (or choose a regression --loss)")]
    NotAClassLabel {
        column: String,
        row: usize,
        value: f64,
    },
    #[error("the target '{column}' (--target) has a single class '{label}': classification needs at least two")]
    SingleClass { column: String, label: String },
    #[error("the target '{column}' (--target) has {count} distinct values, more than {max} classes: a numeric target is learnt with a regression --loss (squared_error), not as classes", max = crate::MAX_CLASSES)]
    TooManyClasses { column: String, count: usize },

    // --- data sets ---
    #[error("data set: {what} has {found} values, expected {expected}")]
    ShapeMismatch {
        what: String,
        expected: usize,
        found: usize,
    },
    #[error("data set: column '{column}', row {row}: {value} is not a finite number")]
    NonFiniteValue {
        column: String,
        row: usize,
        value: f64,
    },
    #[error("cannot {action}: the data set has no rows")]
    NoRows { action: &'static str },

    // --- scaling ---
    #[error("unknown scaling '{name}' (expected minmax, standard or none)")]
    UnknownScaleKind { name: String },
    #[error("column '{column}' is constant (every value is {value}): {scaling} scaling would divide by zero; leave it out of the inputs or turn scaling off (--scale none)")]
    ConstantColumn {
        column: String,
        value: f64,
        scaling: &'static str,
    },
    #[error("column '{column}': the standard deviation underflows to 0 (values differ by less than about 1e-154): standard scaling would divide by zero")]
    ZeroStandardDeviation { column: String },
    #[error("the scaler was fitted on columns [{expected}] but the data has columns [{found}]")]
    ColumnsMismatch { expected: String, found: String },
    #[error("input column {column} does not exist (the scaler has {count} input columns)")]
    NoSuchInput { column: usize, count: usize },
    #[error("scaler column '{column}': {reason}")]
    InvalidScaler { column: String, reason: String },

    // --- splitting ---
    #[error("test fraction {fraction} is outside [0, 1) (0 means no test set, 0.2 keeps a fifth of the rows for testing)")]
    InvalidTestFraction { fraction: f64 },
    #[error(
        "cannot split {rows} row(s) into a training and a test set: at least 2 rows are needed"
    )]
    TooFewRows { rows: usize },
}
