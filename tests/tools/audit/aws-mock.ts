/** An error as the SDK raises it for an AWS error answer: `name` is the error code. */
export function awsError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  Object.assign(error, { $fault: "client", $metadata: { httpStatusCode: 400 } });
  return error;
}
