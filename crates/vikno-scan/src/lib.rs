//! Reading the customer's code: the one code rule, keyboard-wedge framing, serial scanners, webcam decode.
