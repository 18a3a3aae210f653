-- The module's s3_cloudtrail.db schema (reference §5) with a few rows, for tests and the demo.
-- Load with: sqlite3 s3_cloudtrail.db < s3_cloudtrail.sql   (the doctor itself only ever reads such a file)
-- Region tables: cloudtrail, config, vpcflow (+ flow_log_id). The custom family has no region column.

CREATE TABLE metadata (
    key 'text' NOT NULL,
    value 'text' NOT NULL,
    PRIMARY KEY (key, value));
INSERT INTO metadata (key, value) VALUES ('version', '4.14.7');

CREATE TABLE cloudtrail (
    bucket_path 'text' NOT NULL,
    aws_account_id 'text' NOT NULL,
    aws_region 'text' NOT NULL,
    log_key 'text' NOT NULL,
    processed_date 'text' NOT NULL,
    created_date 'integer' NOT NULL,
    PRIMARY KEY (bucket_path, aws_account_id, aws_region, log_key));

CREATE TABLE config (
    bucket_path 'text' NOT NULL,
    aws_account_id 'text' NOT NULL,
    aws_region 'text' NOT NULL,
    log_key 'text' NOT NULL,
    processed_date 'text' NOT NULL,
    created_date 'integer' NOT NULL,
    PRIMARY KEY (bucket_path, aws_account_id, aws_region, log_key));

CREATE TABLE vpcflow (
    bucket_path 'text' NOT NULL,
    aws_account_id 'text' NOT NULL,
    aws_region 'text' NOT NULL,
    flow_log_id 'text' NOT NULL,
    log_key 'text' NOT NULL,
    processed_date 'text' NOT NULL,
    created_date 'integer' NOT NULL,
    PRIMARY KEY (bucket_path, aws_account_id, aws_region, flow_log_id, log_key));

CREATE TABLE custom (
    bucket_path 'text' NOT NULL,
    aws_account_id 'text' NOT NULL,
    log_key 'text' NOT NULL,
    processed_date 'text' NOT NULL,
    created_date 'integer' NOT NULL,
    PRIMARY KEY (bucket_path, aws_account_id, log_key));

CREATE TABLE guardduty (
    bucket_path 'text' NOT NULL,
    aws_account_id 'text' NOT NULL,
    log_key 'text' NOT NULL,
    processed_date 'text' NOT NULL,
    created_date 'integer' NOT NULL,
    PRIMARY KEY (bucket_path, aws_account_id, log_key));

CREATE TABLE waf (
    bucket_path 'text' NOT NULL,
    aws_account_id 'text' NOT NULL,
    log_key 'text' NOT NULL,
    processed_date 'text' NOT NULL,
    created_date 'integer' NOT NULL,
    PRIMARY KEY (bucket_path, aws_account_id, log_key));

CREATE TABLE alb (
    bucket_path 'text' NOT NULL,
    aws_account_id 'text' NOT NULL,
    log_key 'text' NOT NULL,
    processed_date 'text' NOT NULL,
    created_date 'integer' NOT NULL,
    PRIMARY KEY (bucket_path, aws_account_id, log_key));

CREATE TABLE clb (
    bucket_path 'text' NOT NULL,
    aws_account_id 'text' NOT NULL,
    log_key 'text' NOT NULL,
    processed_date 'text' NOT NULL,
    created_date 'integer' NOT NULL,
    PRIMARY KEY (bucket_path, aws_account_id, log_key));

CREATE TABLE nlb (
    bucket_path 'text' NOT NULL,
    aws_account_id 'text' NOT NULL,
    log_key 'text' NOT NULL,
    processed_date 'text' NOT NULL,
    created_date 'integer' NOT NULL,
    PRIMARY KEY (bucket_path, aws_account_id, log_key));

CREATE TABLE s3_server_access (
    bucket_path 'text' NOT NULL,
    aws_account_id 'text' NOT NULL,
    log_key 'text' NOT NULL,
    processed_date 'text' NOT NULL,
    created_date 'integer' NOT NULL,
    PRIMARY KEY (bucket_path, aws_account_id, log_key));

CREATE TABLE cisco_umbrella (
    bucket_path 'text' NOT NULL,
    aws_account_id 'text' NOT NULL,
    log_key 'text' NOT NULL,
    processed_date 'text' NOT NULL,
    created_date 'integer' NOT NULL,
    PRIMARY KEY (bucket_path, aws_account_id, log_key));

-- A CloudTrail trail read up to 2024-05-03 in us-east-1 (bucket "wazuh-cloudtrail", no path).
INSERT INTO cloudtrail VALUES ('wazuh-cloudtrail/', '123456789012', 'us-east-1',
    'AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/02/123456789012_CloudTrail_us-east-1_20240502T2355Z_a1b2c3d4e5f6a7b8.json.gz',
    '2024-05-02 23:59:10', 20240502);
INSERT INTO cloudtrail VALUES ('wazuh-cloudtrail/', '123456789012', 'us-east-1',
    'AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/03/123456789012_CloudTrail_us-east-1_20240503T0010Z_b2c3d4e5f6a7b8c9.json.gz',
    '2024-05-03 00:15:02', 20240503);
INSERT INTO cloudtrail VALUES ('wazuh-cloudtrail/', '123456789012', 'us-east-1',
    'AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/03/123456789012_CloudTrail_us-east-1_20240503T0105Z_c3d4e5f6a7b8c9d0.json.gz',
    '2024-05-03 01:10:44', 20240503);

-- Config keys are not zero-padded.
INSERT INTO config VALUES ('wazuh-config/', '123456789012', 'us-east-1',
    'AWSLogs/123456789012/Config/us-east-1/2024/5/3/ConfigHistory/123456789012_Config_us-east-1_ConfigHistory_AWS::EC2::Instance_20240503T020505Z_20240503T020505Z_1.json.gz',
    '2024-05-03 02:30:00', 20240503);

-- One VPC flow log.
INSERT INTO vpcflow VALUES ('wazuh-vpcflow/', '123456789012', 'us-east-1', 'fl-0123456789abcdef0',
    'AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/05/03/123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20240503T0000Z_0a1b2c3d.log.gz',
    '2024-05-03 00:20:00', 20240503);

-- A Firehose (custom) prefix, keyed by the caller identity's account.
INSERT INTO custom VALUES ('wazuh-firehose/firehose/', '123456789012',
    'firehose/2024/05/03/07/firehose_custom-1-2024-05-03-07-16-03-0a1b2c3d-4e5f.gz',
    '2024-05-03 07:30:00', 20240503);
