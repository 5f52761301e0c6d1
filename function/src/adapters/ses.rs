//! Amazon SES (v2 API) as the mailer when deployed. Region, credentials and
//! endpoint come from the standard AWS configuration chain, so
//! `AWS_ENDPOINT_URL_SESV2` points it at an emulator; throttling is retried
//! by the SDK's standard retry policy.

use async_trait::async_trait;
use aws_sdk_sesv2::error::{DisplayErrorContext, SdkError};
use aws_sdk_sesv2::operation::send_email::SendEmailError;
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};
use aws_sdk_sesv2::Client;

use crate::ports::{MailError, Mailer, OutgoingEmail};

pub struct SesMailer {
    client: Client,
    from: String,
    configuration_set: Option<String>,
}

impl SesMailer {
    /// A client from the loaded AWS configuration (`AWS_REGION`,
    /// credentials, endpoint), `region` overriding the region when given.
    pub fn new(
        aws: &aws_config::SdkConfig,
        from: &str,
        region: Option<String>,
        configuration_set: Option<String>,
    ) -> Self {
        let mut config = aws_sdk_sesv2::config::Builder::from(aws);
        if let Some(region) = region {
            config = config.region(aws_config::Region::new(region));
        }
        Self {
            client: Client::from_conf(config.build()),
            from: from.to_string(),
            configuration_set,
        }
    }
}

fn utf8(data: &str) -> Result<Content, MailError> {
    Content::builder()
        .data(data)
        .charset("UTF-8")
        .build()
        .map_err(|e| MailError::Rejected(e.to_string()))
}

/// Refusals of this message are final; everything else may pass.
fn classify(error: SdkError<SendEmailError>) -> MailError {
    let text = DisplayErrorContext(&error).to_string();
    match error.as_service_error() {
        Some(
            SendEmailError::MessageRejected(_)
            | SendEmailError::BadRequestException(_)
            | SendEmailError::MailFromDomainNotVerifiedException(_)
            | SendEmailError::AccountSuspendedException(_)
            | SendEmailError::SendingPausedException(_),
        ) => MailError::Rejected(text),
        _ => MailError::Unavailable(text),
    }
}

#[async_trait]
impl Mailer for SesMailer {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), MailError> {
        let message = Message::builder()
            .subject(utf8(&email.subject)?)
            .body(
                Body::builder()
                    .text(utf8(&email.text)?)
                    .html(utf8(&email.html)?)
                    .build(),
            )
            .build();
        self.client
            .send_email()
            .from_email_address(&self.from)
            .destination(Destination::builder().to_addresses(&email.to).build())
            .content(EmailContent::builder().simple(message).build())
            .set_configuration_set_name(self.configuration_set.clone())
            .send()
            .await
            .map(|_| ())
            .map_err(classify)
    }
}
