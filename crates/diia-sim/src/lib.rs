//! A faithful Diia simulator: the app's sandbox mode and the tests' HTTP server.
