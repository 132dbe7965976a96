//! Test doubles for the core's effects: a scripted [`Transport`] and a fake
//! [`Clock`] whose sleeps only advance its time.

use std::cell::RefCell;
use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::client::{Clock, Transport, TransportError};
use super::response::HttpResponse;
use super::sign::SignedRequest;

/// Answers each request with the next scripted answer and records it.
pub struct Script {
    /// Answers still to give, in order.
    pub answers: RefCell<Vec<Result<HttpResponse, TransportError>>>,
    /// Requests seen, in order.
    pub seen: RefCell<Vec<SignedRequest>>,
}

impl Script {
    /// A transport that gives these answers in turn.
    pub fn new(answers: Vec<Result<HttpResponse, TransportError>>) -> Self {
        Self {
            answers: RefCell::new(answers),
            seen: RefCell::new(Vec::new()),
        }
    }
}

impl Transport for Script {
    async fn send(
        &self,
        request: &SignedRequest,
        _timeout: Duration,
    ) -> Result<HttpResponse, TransportError> {
        self.seen.borrow_mut().push(request.clone());
        let mut answers = self.answers.borrow_mut();
        assert!(
            !answers.is_empty(),
            "unscripted request: {} {}",
            request.method,
            request.url
        );
        answers.remove(0)
    }
}

/// A clock that starts at a fixed instant; sleeping advances it.
pub struct FakeClock {
    /// Now.
    pub now: RefCell<SystemTime>,
    /// Every sleep, in order.
    pub slept: RefCell<Vec<Duration>>,
}

impl FakeClock {
    /// 2026-11-18T11:06:40Z.
    pub fn new() -> Self {
        Self {
            now: RefCell::new(UNIX_EPOCH + Duration::from_secs(1_795_000_000)),
            slept: RefCell::new(Vec::new()),
        }
    }
}

impl Clock for FakeClock {
    fn now(&self) -> SystemTime {
        *self.now.borrow()
    }
    async fn sleep(&self, d: Duration) {
        self.slept.borrow_mut().push(d);
        *self.now.borrow_mut() += d;
    }
    fn random(&self) -> f64 {
        0.5
    }
}

/// An HTTP answer with a request id and, optionally, an error type header.
pub fn answer(status: u16, code: Option<&str>, body: &str) -> Result<HttpResponse, TransportError> {
    let mut headers = vec![("x-amzn-RequestId".to_owned(), "rid".to_owned())];
    if let Some(c) = code {
        headers.push(("x-amzn-ErrorType".to_owned(), c.to_owned()));
    }
    Ok(HttpResponse {
        status,
        headers,
        body: body.to_owned(),
    })
}

/// Polls a future that never really waits (the fakes complete at once).
pub fn block_on<F: Future>(f: F) -> F::Output {
    use std::task::{Context, Poll, Waker};
    let mut f = std::pin::pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}
