//! Prompt files. (Being written.)
