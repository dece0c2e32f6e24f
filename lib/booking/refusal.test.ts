import { describe, expect, it } from "vitest";
import { fieldOfPipeMessage } from "./refusal";

describe("fieldOfPipeMessage", () => {
  it("reads the property path from formatErrors' structure, in our input's names", () => {
    expect(
      fieldOfPipeMessage(
        "attendee property is wrong, phoneNumber property is wrong,Invalid phone number format. Please use international format. ",
      ),
    ).toBe("attendee.phone");
    expect(fieldOfPipeMessage("attendee property is wrong, email property is wrong,Invalid email format ")).toBe(
      "attendee.email",
    );
    expect(fieldOfPipeMessage("start property is wrong,start must be a valid ISO 8601 date string ")).toBe("start");
    expect(
      fieldOfPipeMessage("One of the hosts either already has booking at this time or is not available"),
    ).toBeNull();
  });
});
